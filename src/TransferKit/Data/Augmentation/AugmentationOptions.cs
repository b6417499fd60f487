namespace TransferKit.Data.Augmentation;

/// <summary>
/// Which training augmentations run and how strongly. Every augmentation is off by default (<see cref="None"/>);
/// <see cref="Standard"/> is the usual ImageNet fine-tuning recipe (random resized crop and horizontal flip). Ranges and
/// defaults follow torchvision's transforms of the same names. Call <see cref="Validate"/> (the training transform does)
/// to reject impossible settings.
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>No augmentation: the training transform equals the evaluation transform.</summary>
    public static AugmentationOptions None { get; } = new();

    /// <summary>Random resized crop (scale 0.08..1, ratio 3/4..4/3) and horizontal flip with probability 0.5.</summary>
    public static AugmentationOptions Standard { get; } = new() { RandomResizedCrop = true, HorizontalFlipProbability = 0.5 };

    /// <summary>Probability of mirroring the image left to right (default 0, off; torchvision's RandomHorizontalFlip uses 0.5). In [0, 1].</summary>
    public double HorizontalFlipProbability { get; init; }

    /// <summary>
    /// Whether to replace resize-and-centre-crop by torchvision's RandomResizedCrop (default false): a random box with
    /// area fraction in <see cref="CropScale"/> and aspect ratio in <see cref="CropRatio"/>, resized to the input size.
    /// </summary>
    public bool RandomResizedCrop { get; init; }

    /// <summary>Range of the crop's area as a fraction of the image's (default (0.08, 1)). 0 &lt; Min &lt;= Max &lt;= 1.</summary>
    public (double Min, double Max) CropScale { get; init; } = (0.08, 1.0);

    /// <summary>Range of the crop's width / height, sampled log-uniformly (default (3/4, 4/3)). 0 &lt; Min &lt;= Max.</summary>
    public (double Min, double Max) CropRatio { get; init; } = (3.0 / 4.0, 4.0 / 3.0);

    /// <summary>Largest rotation in degrees; the angle is uniform in [-value, value] (default 0, off). In [0, 180].</summary>
    public double RotationDegrees { get; init; }

    /// <summary>Brightness jitter: factor uniform in [max(0, 1 - value), 1 + value] (default 0, off). At least 0.</summary>
    public double Brightness { get; init; }

    /// <summary>Contrast jitter: factor uniform in [max(0, 1 - value), 1 + value] (default 0, off). At least 0.</summary>
    public double Contrast { get; init; }

    /// <summary>Saturation jitter: factor uniform in [max(0, 1 - value), 1 + value] (default 0, off). At least 0.</summary>
    public double Saturation { get; init; }

    /// <summary>Probability of random erasing on the normalised tensor (default 0, off; torchvision's RandomErasing uses 0.5). In [0, 1].</summary>
    public double ErasingProbability { get; init; }

    /// <summary>Range of the erased area as a fraction of the image's (default (0.02, 0.33)). 0 &lt; Min &lt;= Max &lt; 1.</summary>
    public (double Min, double Max) ErasingScale { get; init; } = (0.02, 0.33);

    /// <summary>Range of the erased box's height / width, sampled log-uniformly (default (0.3, 3.3)). 0 &lt; Min &lt;= Max.</summary>
    public (double Min, double Max) ErasingRatio { get; init; } = (0.3, 3.3);

    /// <summary>Value written into the erased box, in normalised units (default 0).</summary>
    public float ErasingValue { get; init; }

    /// <summary>Whether any augmentation is on, which makes the training transform random.</summary>
    public bool IsEnabled =>
        HorizontalFlipProbability > 0 || RandomResizedCrop || RotationDegrees > 0 || HasColorJitter || ErasingProbability > 0;

    /// <summary>Whether any of brightness, contrast or saturation jitter is on.</summary>
    public bool HasColorJitter => Brightness > 0 || Contrast > 0 || Saturation > 0;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the parameter name is the property's.</exception>
    public void Validate()
    {
        Probability(HorizontalFlipProbability, nameof(HorizontalFlipProbability));
        Probability(ErasingProbability, nameof(ErasingProbability));
        if (!(CropScale.Min > 0 && CropScale.Min <= CropScale.Max && CropScale.Max <= 1))
            throw new ArgumentOutOfRangeException(nameof(CropScale), CropScale, "CropScale needs 0 < Min <= Max <= 1.");
        Ratio(CropRatio, nameof(CropRatio));
        if (!(RotationDegrees >= 0 && RotationDegrees <= 180))
            throw new ArgumentOutOfRangeException(nameof(RotationDegrees), RotationDegrees, "RotationDegrees must be in [0, 180].");
        Strength(Brightness, nameof(Brightness));
        Strength(Contrast, nameof(Contrast));
        Strength(Saturation, nameof(Saturation));
        if (!(ErasingScale.Min > 0 && ErasingScale.Min <= ErasingScale.Max && ErasingScale.Max < 1))
            throw new ArgumentOutOfRangeException(nameof(ErasingScale), ErasingScale, "ErasingScale needs 0 < Min <= Max < 1.");
        Ratio(ErasingRatio, nameof(ErasingRatio));
        if (!float.IsFinite(ErasingValue))
            throw new ArgumentOutOfRangeException(nameof(ErasingValue), ErasingValue, "ErasingValue must be finite.");
    }

    private static void Probability(double p, string name)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(name, p, $"{name} must be in [0, 1].");
    }

    private static void Ratio((double Min, double Max) range, string name)
    {
        if (!(range.Min > 0 && range.Min <= range.Max && double.IsFinite(range.Max)))
            throw new ArgumentOutOfRangeException(name, range, $"{name} needs 0 < Min <= Max.");
    }

    private static void Strength(double value, string name)
    {
        if (!(value >= 0 && double.IsFinite(value))) throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and at least 0.");
    }
}
