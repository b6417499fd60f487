namespace TransferKit.Data.Synthetic;

/// <summary>The file format synthetic images are written in.</summary>
public enum SyntheticImageFormat
{
    /// <summary>Baseline JPEG through <see cref="Decoding.JpegEncoder"/> (needs libturbojpeg), extension .jpg.</summary>
    Jpeg,

    /// <summary>8-bit RGB PNG through <see cref="Decoding.PngEncoder"/> (managed), extension .png.</summary>
    Png,
}
