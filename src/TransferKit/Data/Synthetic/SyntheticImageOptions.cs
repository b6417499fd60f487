namespace TransferKit.Data.Synthetic;

/// <summary>What <see cref="SyntheticImageTask.Write"/> writes.</summary>
public sealed record SyntheticImageOptions
{
    /// <summary>The options used when a caller passes none.</summary>
    public static SyntheticImageOptions Default { get; } = new();

    /// <summary>Images per class (default 100). Must be at least 1.</summary>
    public int ImagesPerClass { get; init; } = 100;

    /// <summary>Image width in pixels (default 64). At least 16.</summary>
    public int Width { get; init; } = 64;

    /// <summary>Image height in pixels (default 64). At least 16.</summary>
    public int Height { get; init; } = 64;

    /// <summary>File format (default JPEG).</summary>
    public SyntheticImageFormat Format { get; init; } = SyntheticImageFormat.Jpeg;

    /// <summary>JPEG quality, 1 to 100 (default 90).</summary>
    public int JpegQuality { get; init; } = 90;

    /// <summary>Folder per class (default) or Kaggle's flat file names.</summary>
    public SyntheticLayout Layout { get; init; } = SyntheticLayout.FolderPerClass;

    /// <summary>Unlabelled images written to test1/ (default 0); only with <see cref="SyntheticLayout.KaggleFlat"/>.
    /// Their true classes are returned in <see cref="SyntheticImageSet.UnlabeledLabels"/>.</summary>
    public int UnlabeledImages { get; init; }

    /// <summary>Seed; image n of class c depends only on (Seed, c, n), so any subset regenerates identically.</summary>
    public int Seed { get; init; }

    /// <summary>How much background clutter, 0 (none) to 2 (default 1: three to eight lines and blobs).</summary>
    public double Clutter { get; init; } = 1;

    /// <summary>Standard deviation of Gaussian pixel noise on a 0..1 scale, 0 to 0.5 (default 0.03).</summary>
    public double Noise { get; init; } = 0.03;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the parameter name is the property's.</exception>
    public void Validate()
    {
        static void Check(bool ok, string name, object value, string rule)
        {
            if (!ok)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} {rule}.");
            }
        }

        Check(ImagesPerClass >= 1, nameof(ImagesPerClass), ImagesPerClass, "must be at least 1");
        Check(Width >= 16, nameof(Width), Width, "must be at least 16");
        Check(Height >= 16, nameof(Height), Height, "must be at least 16");
        Check(Enum.IsDefined(Format), nameof(Format), Format, "is not a known format");
        Check(JpegQuality is >= 1 and <= 100, nameof(JpegQuality), JpegQuality, "must be in 1..100");
        Check(Enum.IsDefined(Layout), nameof(Layout), Layout, "is not a known layout");
        Check(UnlabeledImages >= 0, nameof(UnlabeledImages), UnlabeledImages, "must not be negative");
        Check(UnlabeledImages == 0 || Layout == SyntheticLayout.KaggleFlat, nameof(UnlabeledImages), UnlabeledImages,
            "needs Layout = KaggleFlat (a folder-per-class root has no place for unlabelled images)");
        Check(Clutter is >= 0 and <= 2, nameof(Clutter), Clutter, "must be in [0, 2]");
        Check(Noise is >= 0 and <= 0.5, nameof(Noise), Noise, "must be in [0, 0.5]");
    }
}
