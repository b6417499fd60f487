using System.Runtime.InteropServices;

namespace TransferKit.Data.Decoding;

/// <summary>
/// Late-bound entry points of the TurboJPEG 2.x C API (libturbojpeg0). The library is loaded on first use so that
/// PNG/BMP decoding and everything else works on machines without it; a missing library becomes a
/// <see cref="NativeLibraryMissingException"/> naming the package to install.
/// </summary>
internal static unsafe class TurboJpegNative
{
    // Constants from turbojpeg.h (2.1); the numbering is part of the stable ABI.
    public const int PixelFormatRgb = 0;      // TJPF_RGB
    public const int PixelFormatGray = 6;     // TJPF_GRAY
    public const int PixelFormatCmyk = 11;    // TJPF_CMYK
    public const int ColorspaceRgb = 0;       // TJCS_RGB
    public const int ColorspaceYCbCr = 1;     // TJCS_YCbCr
    public const int ColorspaceGray = 2;      // TJCS_GRAY
    public const int ColorspaceCmyk = 3;      // TJCS_CMYK
    public const int ColorspaceYcck = 4;      // TJCS_YCCK
    public const int Subsampling444 = 0;      // TJSAMP_444
    public const int Subsampling420 = 2;      // TJSAMP_420
    public const int SubsamplingGray = 3;     // TJSAMP_GRAY
    public const int FlagStopOnWarning = 8192;  // TJFLAG_STOPONWARNING
    public const int FlagProgressive = 16384;   // TJFLAG_PROGRESSIVE
    public const int FlagLimitScans = 32768;    // TJFLAG_LIMITSCANS: libjpeg-turbo's own cap (500 scans), a backstop to ours
    public const int ErrorWarning = 0;        // TJERR_WARNING
    public const int ErrorFatal = 1;          // TJERR_FATAL

    public const string LibraryName = "libturbojpeg.so.0";
    public const string InstallHint = "install libturbojpeg0 (apt-get install -y libturbojpeg0)";

    private static readonly Lazy<Api> s_api = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A libjpeg-turbo DCT scaling factor num/denom (tjscalingfactor).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public readonly struct ScalingFactor
    {
        public readonly int Num;
        public readonly int Denom;

        public ScalingFactor(int num, int denom)
        {
            Num = num;
            Denom = denom;
        }

        /// <summary>TJSCALED: the scaled size, rounded up, exactly as libjpeg computes output dimensions.</summary>
        public int Scale(int dimension) => (int)((((long)dimension * Num) + Denom - 1) / Denom);

        public override string ToString() => $"{Num}/{Denom}";
    }

    /// <summary>The resolved function pointers. Loaded once per process.</summary>
    public sealed class Api
    {
        public required delegate* unmanaged<nint> InitDecompress { get; init; }
        public required delegate* unmanaged<nint> InitCompress { get; init; }
        public required delegate* unmanaged<nint, int> Destroy { get; init; }
        public required delegate* unmanaged<nint, byte*, CULong, int*, int*, int*, int*, int> DecompressHeader3 { get; init; }
        public required delegate* unmanaged<nint, byte*, CULong, byte*, int, int, int, int, int, int> Decompress2 { get; init; }
        public required delegate* unmanaged<nint, byte*, int, int, int, int, byte**, CULong*, int, int, int, int> Compress2 { get; init; }
        public required delegate* unmanaged<byte*, void> Free { get; init; }
        public required delegate* unmanaged<nint, byte*> GetErrorStr2 { get; init; }
        public required delegate* unmanaged<nint, int> GetErrorCode { get; init; }
        public required ScalingFactor[] ScalingFactors { get; init; }
    }

    /// <summary>The loaded API.</summary>
    /// <exception cref="NativeLibraryMissingException">libturbojpeg is not installed or lacks the 2.x entry points.</exception>
    public static Api Functions => s_api.Value;

    /// <summary>True when libturbojpeg can be loaded (for tests and diagnostics; never throws).</summary>
    public static bool IsAvailable
    {
        get
        {
            try
            {
                _ = s_api.Value;
                return true;
            }
            catch (NativeLibraryMissingException)
            {
                return false;
            }
        }
    }

    /// <summary>The message TurboJPEG recorded for the last failed call on <paramref name="handle"/>.</summary>
    public static string GetErrorMessage(Api api, nint handle)
    {
        byte* text = api.GetErrorStr2(handle);
        return text == null ? "unknown TurboJPEG error" : Marshal.PtrToStringUTF8((nint)text) ?? "unknown TurboJPEG error";
    }

    private static Api Load()
    {
        nint library = 0;
        Exception? lastError = null;
        // The Debian/Ubuntu soname first; then the names other platforms and -dev packages use.
        foreach (string name in new[] { LibraryName, "libturbojpeg.so", "libturbojpeg.0.dylib", "libturbojpeg.dylib", "turbojpeg" })
        {
            try
            {
                library = NativeLibrary.Load(name);
                break;
            }
            catch (DllNotFoundException ex)
            {
                lastError = ex;
            }
        }

        if (library == 0)
        {
            throw new NativeLibraryMissingException(LibraryName, InstallHint, lastError);
        }

        try
        {
            var getScalingFactors = (delegate* unmanaged<int*, ScalingFactor*>)NativeLibrary.GetExport(library, "tjGetScalingFactors");
            int count = 0;
            ScalingFactor* factors = getScalingFactors(&count);
            ScalingFactor[] managed = factors == null || count <= 0
                ? [new ScalingFactor(1, 1)]
                : new ReadOnlySpan<ScalingFactor>(factors, count).ToArray();

            return new Api
            {
                InitDecompress = (delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "tjInitDecompress"),
                InitCompress = (delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "tjInitCompress"),
                Destroy = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(library, "tjDestroy"),
                DecompressHeader3 = (delegate* unmanaged<nint, byte*, CULong, int*, int*, int*, int*, int>)
                    NativeLibrary.GetExport(library, "tjDecompressHeader3"),
                Decompress2 = (delegate* unmanaged<nint, byte*, CULong, byte*, int, int, int, int, int, int>)
                    NativeLibrary.GetExport(library, "tjDecompress2"),
                Compress2 = (delegate* unmanaged<nint, byte*, int, int, int, int, byte**, CULong*, int, int, int, int>)
                    NativeLibrary.GetExport(library, "tjCompress2"),
                Free = (delegate* unmanaged<byte*, void>)NativeLibrary.GetExport(library, "tjFree"),
                GetErrorStr2 = (delegate* unmanaged<nint, byte*>)NativeLibrary.GetExport(library, "tjGetErrorStr2"),
                GetErrorCode = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(library, "tjGetErrorCode"),
                ScalingFactors = managed,
            };
        }
        catch (EntryPointNotFoundException ex)
        {
            throw new NativeLibraryMissingException(
                LibraryName, "it is older than TurboJPEG 2.0 (tjGetErrorCode missing); " + InstallHint, ex);
        }
    }
}
