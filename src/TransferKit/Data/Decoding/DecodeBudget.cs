namespace TransferKit.Data.Decoding;

/// <summary>
/// The memory guards every decoder applies once it knows what it will allocate, before allocating it: the per-image
/// budget (<see cref="ImageDecodeOptions.MaxDecodeBytes"/>), the expansion ratio (<see cref="ImageDecodeOptions.MaxExpansionRatio"/>),
/// and, inside a <see cref="Loading.DataLoader"/>, a share of the loader's memory gate.
/// </summary>
internal static class DecodeBudget
{
    /// <summary>Decoded RGB outputs up to this size are never refused by the expansion ratio (a 590 x 590 image).</summary>
    public const long ExpansionFloorBytes = 1L << 20;

    /// <summary>
    /// Refuses the decode with <see cref="ImageDecodeFailure.TooLarge"/> when <paramref name="peakBytes"/> exceeds the
    /// budget or <paramref name="outputBytes"/> expands the <paramref name="encodedBytes"/> more than allowed; otherwise
    /// takes <paramref name="peakBytes"/> from the options' memory gate (waiting for other decodes if needed).
    /// </summary>
    /// <param name="peakBytes">Everything the decode will hold at once: the encoded data, the RGB result and every intermediate.</param>
    /// <param name="outputBytes">Bytes of the decoded RGB image.</param>
    /// <param name="encodedBytes">Bytes of the encoded file.</param>
    /// <param name="source">The image name for the error.</param>
    /// <param name="options">The limits.</param>
    /// <exception cref="ImageDecodeException">A limit refuses the image (TooLarge).</exception>
    public static void Reserve(long peakBytes, long outputBytes, long encodedBytes, string source, ImageDecodeOptions options)
    {
        ImageDecoder.CheckArrayLength(outputBytes, source);
        if (peakBytes > options.MaxDecodeBytes)
        {
            throw new ImageDecodeException(source, ImageDecodeFailure.TooLarge,
                $"decoding needs about {Mib(peakBytes)} MiB, more than MaxDecodeBytes = {Mib(options.MaxDecodeBytes)} MiB");
        }

        if (outputBytes > ExpansionFloorBytes && outputBytes > (double)encodedBytes * options.MaxExpansionRatio)
        {
            throw new ImageDecodeException(source, ImageDecodeFailure.TooLarge,
                $"{encodedBytes:N0} bytes would expand to {outputBytes:N0} bytes of pixels, more than MaxExpansionRatio = {options.MaxExpansionRatio} times (a decompression bomb?)");
        }

        options.MemoryGate?.Acquire(peakBytes);
    }

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
}
