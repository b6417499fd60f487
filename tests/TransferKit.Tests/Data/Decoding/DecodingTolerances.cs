namespace TransferKit.Tests.Data.Decoding;

/// <summary>
/// Tolerances of the image decoding tests, with their reasons. (Kept beside the tests because this area owns only
/// this folder; they can move into <see cref="Tolerances"/> when the areas are merged.)
/// </summary>
internal static class DecodingTolerances
{
    /// <summary>
    /// Same libjpeg-turbo 2.1.5 build decoding the same bytes with the same (ISLOW, fancy upsampling) settings as Pillow:
    /// the results are identical; 1 allows for a different SIMD path if one library was built without it.
    /// </summary>
    public const int SameLibjpegMaxDifference = 1;

    /// <summary>PSNR floor for a smooth test pattern encoded at quality 90 and decoded again (typical: 35-45 dB).</summary>
    public const double JpegQuality90MinPsnr = 30.0;

    /// <summary>PSNR floor for DCT-scaled decoding against a box-filtered full decode (both are low-pass; typical 30+ dB).</summary>
    public const double DctScaledMinPsnr = 24.0;

    /// <summary>Per-channel error allowed at the centre of a flat colour block after JPEG at quality 95 (4:4:4).</summary>
    public const int FlatBlockMaxError = 12;

    /// <summary>Bytes a decode may allocate before a too-large header is refused (exception objects and strings only).</summary>
    public const long GuardMaxAllocatedBytes = 256 * 1024;
}
