namespace TransferKit.Models;

/// <summary>
/// The evaluation transform that belongs to a set of weights: resize the shorter side to <see cref="ResizeSize"/>,
/// centre-crop <see cref="InputSize"/> square, normalise. torchvision's ResNet-50 is 256 / 224 bilinear ImageNet;
/// timm writes the same as crop_pct = InputSize / ResizeSize. With <see cref="ResizeMode"/> set to
/// <see cref="Models.ResizeMode.Stretch"/> the image is instead resized straight to InputSize square (no crop), as ML.NET's
/// ResNet-18 expects.
/// </summary>
/// <param name="InputSize">Side of the square network input in pixels.</param>
/// <param name="ResizeSize">Shorter side after resizing, before the centre crop (at least <paramref name="InputSize"/>).</param>
/// <param name="Interpolation">Resampling filter.</param>
/// <param name="Normalization">Pixel normalisation.</param>
public sealed record PreprocessingSpec(int InputSize, int ResizeSize, ResizeInterpolation Interpolation, NormalizationSpec Normalization)
{
    /// <summary>
    /// How a non-square image becomes the square input. Default <see cref="Models.ResizeMode.CenterCrop"/> (resize the shorter
    /// side to <see cref="ResizeSize"/>, crop the centre); <see cref="Models.ResizeMode.Stretch"/> resizes to
    /// <see cref="InputSize"/> x <see cref="InputSize"/> and ignores <see cref="ResizeSize"/>.
    /// </summary>
    public ResizeMode ResizeMode { get; init; } = ResizeMode.CenterCrop;

    /// <summary>timm's crop fraction: <see cref="InputSize"/> / <see cref="ResizeSize"/>.</summary>
    public double CropFraction => (double)InputSize / ResizeSize;

    /// <summary>torchvision's classic ImageNet transform: resize 256, crop 224, bilinear, ImageNet statistics.</summary>
    public static PreprocessingSpec ImageNet224 { get; } = new(224, 256, ResizeInterpolation.Bilinear, NormalizationSpec.ImageNet);

    /// <summary>The largest <see cref="InputSize"/> and <see cref="ResizeSize"/> accepted, in pixels.</summary>
    public const int MaxSize = 8192;

    /// <summary>Checks the sizes and the normalisation.</summary>
    /// <exception cref="ArgumentException">
    /// A size is not in [1, <see cref="MaxSize"/>], the resize mode is unknown, the resize is smaller than the crop, or the normalisation lacks three
    /// finite means and three finite positive standard deviations, or a finite positive scale. The message names the field.
    /// </exception>
    public void Validate()
    {
        if (InputSize is < 1 or > MaxSize) throw new ArgumentException($"PreprocessingSpec.InputSize must be in [1, {MaxSize}], got {InputSize}.", nameof(InputSize));
        if (ResizeSize < InputSize || ResizeSize > MaxSize)
            throw new ArgumentException($"PreprocessingSpec.ResizeSize ({ResizeSize}) must be at least InputSize ({InputSize}) and at most {MaxSize}.", nameof(ResizeSize));
        if (!Enum.IsDefined(ResizeMode)) throw new ArgumentException($"PreprocessingSpec.ResizeMode {(int)ResizeMode} is not a known mode.", nameof(ResizeMode));
        if (!Enum.IsDefined(Interpolation)) throw new ArgumentException($"PreprocessingSpec.Interpolation {(int)Interpolation} is not a known filter.", nameof(Interpolation));
        if (Normalization is null) throw new ArgumentException("PreprocessingSpec.Normalization is missing.", nameof(Normalization));
        Normalization.Validate();
    }
}
