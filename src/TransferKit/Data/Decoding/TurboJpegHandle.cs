using System.Runtime.InteropServices;

namespace TransferKit.Data.Decoding;

/// <summary>
/// Owns one tjhandle. TurboJPEG handles are not thread-safe, so the decoder keeps one decompressor per thread
/// (<see cref="ForDecompression"/>), destroyed by the finalizer once the thread is gone. A decompressor that reported
/// any error is replaced (<see cref="Retire"/>): in libjpeg-turbo 2.1, tjDecompressHeader3 does not reset libjpeg after
/// an error, and the next header read on that handle fails with the previous file's error. Compressors are created per
/// call (<see cref="CreateCompressor"/>): in libjpeg-turbo 2.1 a compressor that wrote a progressive JPEG leaves state
/// behind that corrupts the next baseline JPEG it writes ("bad Huffman code" on decoding), so they are never reused.
/// </summary>
internal sealed unsafe class TurboJpegHandle : SafeHandle
{
    [ThreadStatic]
    private static TurboJpegHandle? t_decompressor;

    private readonly TurboJpegNative.Api _api;

    private TurboJpegHandle(TurboJpegNative.Api api, nint handle)
        : base(0, ownsHandle: true)
    {
        _api = api;
        SetHandle(handle);
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    /// <summary>The loaded API the handle belongs to.</summary>
    public TurboJpegNative.Api Api => _api;

    /// <summary>The raw handle; valid while this object is alive.</summary>
    public nint Value => handle;

    /// <summary>This thread's decompressor, created on first use.</summary>
    /// <exception cref="NativeLibraryMissingException">libturbojpeg is not installed.</exception>
    public static TurboJpegHandle ForDecompression()
    {
        TurboJpegHandle? h = t_decompressor;
        if (h is null)
        {
            TurboJpegNative.Api api = TurboJpegNative.Functions;
            h = Create(api, api.InitDecompress(), "tjInitDecompress");
            t_decompressor = h;
        }

        return h;
    }

    /// <summary>Destroys <paramref name="decompressor"/> and, if it is this thread's, forgets it so the next call gets a fresh one.</summary>
    public static void Retire(TurboJpegHandle decompressor)
    {
        if (ReferenceEquals(t_decompressor, decompressor))
        {
            t_decompressor = null;
        }

        decompressor.Dispose();
    }

    /// <summary>A new compressor, owned by the caller (dispose it).</summary>
    /// <exception cref="NativeLibraryMissingException">libturbojpeg is not installed.</exception>
    public static TurboJpegHandle CreateCompressor()
    {
        TurboJpegNative.Api api = TurboJpegNative.Functions;
        return Create(api, api.InitCompress(), "tjInitCompress");
    }

    /// <summary>The last error on this handle: its message and whether TurboJPEG called it a warning.</summary>
    public (string Message, bool IsWarning) LastError() =>
        (TurboJpegNative.GetErrorMessage(_api, handle), _api.GetErrorCode(handle) == TurboJpegNative.ErrorWarning);

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => _api.Destroy(handle) == 0;

    private static TurboJpegHandle Create(TurboJpegNative.Api api, nint raw, string function)
    {
        if (raw == 0)
        {
            // Only fails when malloc does; the global error string is not worth a second export.
            throw new OutOfMemoryException($"{function} returned NULL.");
        }

        return new TurboJpegHandle(api, raw);
    }
}
