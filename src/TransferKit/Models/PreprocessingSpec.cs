namespace TransferKit.Models;

/// <summary>
/// The evaluation transform that belongs to a set of weights: resize the shorter side to <see cref="ResizeSize"/>,
/// centre-crop <see cref="InputSize"/> square, normalise. torchvision's ResNet-50 is 256 / 224 bilinear ImageNet;
/// timm writes the same as crop_pct = InputSize / ResizeSize.
/// </summary>
/// <param name="InputSize">Side of the square network input in pixels.</param>
/// <param name="ResizeSize">Shorter side after resizing, before the centre crop (at least <paramref name="InputSize"/>).</param>
/// <param name="Interpolation">Resampling filter.</param>
/// <param name="Normalization">Pixel normalisation.</param>
public sealed record PreprocessingSpec(int InputSize, int ResizeSize, ResizeInterpolation Interpolation, NormalizationSpec Normalization)
{
    /// <summary>timm's crop fraction: <see cref="InputSize"/> / <see cref="ResizeSize"/>.</summary>
    public double CropFraction => (double)InputSize / ResizeSize;

    /// <summary>torchvision's classic ImageNet transform: resize 256, crop 224, bilinear, ImageNet statistics.</summary>
    public static PreprocessingSpec ImageNet224 { get; } = new(224, 256, ResizeInterpolation.Bilinear, NormalizationSpec.ImageNet);

    /// <summary>Checks the sizes.</summary>
    /// <exception cref="ArgumentException">A size is not positive, or the resize is smaller than the crop.</exception>
    public void Validate()
    {
        if (InputSize < 1) throw new ArgumentException($"PreprocessingSpec.InputSize must be positive, got {InputSize}.", nameof(InputSize));
        if (ResizeSize < InputSize) throw new ArgumentException($"PreprocessingSpec.ResizeSize ({ResizeSize}) must be at least InputSize ({InputSize}).", nameof(ResizeSize));
        if (Normalization.Mean.Count != 3 || Normalization.Std.Count != 3)
            throw new ArgumentException("PreprocessingSpec.Normalization needs three means and three standard deviations.", nameof(Normalization));
    }
}
