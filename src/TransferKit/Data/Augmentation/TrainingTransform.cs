using System.Buffers;
using TransferKit.Data.Decoding;
using TransferKit.Data.Preprocessing;
using TransferKit.Models;

namespace TransferKit.Data.Augmentation;

/// <summary>
/// The training transform: the augmentations of an <see cref="AugmentationOptions"/> around the geometry and
/// normalisation of a <see cref="PreprocessingSpec"/>, in torchvision's usual order. Geometry is either
/// RandomResizedCrop (a random box resized to the input size) or the evaluation geometry (resize and centre crop, or
/// the stretch of <see cref="ResizeMode.Stretch"/>); then
/// horizontal flip, rotation and colour jitter on unit-range planes; then normalisation; then random erasing on the
/// normalised tensor. Randomness comes only from <see cref="TransformContext.CreateRandom"/>, drawn in that fixed order,
/// so a context always gives the same output. With no augmentation enabled the output equals
/// <see cref="EvaluationTransform"/>'s and <see cref="IsRandom"/> is false.
/// </summary>
public sealed class TrainingTransform : IImageTransform
{
    private readonly PixelNormalizer _normalizer;
    private readonly RandomResizedCrop? _crop;
    private readonly RandomHorizontalFlip? _flip;
    private readonly RandomRotation? _rotation;
    private readonly ColorJitter? _jitter;
    private readonly RandomErasing? _erasing;

    /// <summary>Builds the transform; <paramref name="inputSize"/> overrides the spec's as in <see cref="EvaluationTransform"/>.</summary>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An augmentation option is out of range (named), or <paramref name="inputSize"/> is less than 1.</exception>
    public TrainingTransform(PreprocessingSpec spec, AugmentationOptions? augmentation = null, int? inputSize = null)
    {
        Spec = new EvaluationTransform(spec, inputSize).Spec;
        Augmentation = augmentation ?? AugmentationOptions.None;
        Augmentation.Validate();
        _normalizer = new PixelNormalizer(Spec.Normalization);
        AugmentationOptions a = Augmentation;
        if (a.RandomResizedCrop) _crop = new RandomResizedCrop(a.CropScale, a.CropRatio);
        if (a.HorizontalFlipProbability > 0) _flip = new RandomHorizontalFlip(a.HorizontalFlipProbability);
        if (a.RotationDegrees > 0) _rotation = new RandomRotation(a.RotationDegrees);
        if (a.HasColorJitter) _jitter = new ColorJitter(a.Brightness, a.Contrast, a.Saturation);
        if (a.ErasingProbability > 0) _erasing = new RandomErasing(a.ErasingProbability, a.ErasingScale, a.ErasingRatio, a.ErasingValue);
    }

    /// <summary>The spec in effect (with the input-size override applied).</summary>
    public PreprocessingSpec Spec { get; }

    /// <summary>The augmentations.</summary>
    public AugmentationOptions Augmentation { get; }

    /// <inheritdoc/>
    public int OutputHeight => Spec.InputSize;

    /// <inheritdoc/>
    public int OutputWidth => Spec.InputSize;

    /// <inheritdoc/>
    public bool IsRandom => Augmentation.IsEnabled;

    /// <inheritdoc/>
    public void Apply(DecodedImage image, Span<float> destination, TransformContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        int size = Spec.InputSize, plane = size * size;
        if (destination.Length != 3 * plane)
            throw new ArgumentException($"Destination must hold 3 x {size} x {size} = {3 * plane} floats, got {destination.Length}.", nameof(destination));

        Random random = context.CreateRandom();
        CropBox? box = _crop?.Sample(image.Width, image.Height, random);
        bool flip = _flip?.Sample(random) ?? false;
        double angle = _rotation?.Sample(random) ?? 0;
        IReadOnlyList<(ColorAdjustment, double)>? jitter = _jitter?.Sample(random);
        CropBox? erase = _erasing?.Sample(size, size, random);

        byte[] rented = ArrayPool<byte>.Shared.Rent(3 * plane);
        try
        {
            Span<byte> rgb = rented.AsSpan(0, 3 * plane);
            if (box is CropBox region)
                Resampler.Resample(image.Pixels, image.Width * 3, region, size, size, CropBox.Full(size, size), Spec.Interpolation, rgb);
            else
                ImageResizer.ResizeToInput(image, Spec, rgb);

            if (flip || angle != 0 || jitter is not null)
            {
                PixelNormalizer.ToUnitPlanes(rgb, size, size, destination);
                if (flip) RandomHorizontalFlip.Apply(destination, size, size);
                if (angle != 0) Rotate(destination, size, angle);
                if (jitter is not null) ColorJitter.Apply(destination, jitter);
                _normalizer.NormalizeUnitInPlace(destination);
            }
            else
            {
                _normalizer.Normalize(rgb, size, size, destination);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        if (erase is CropBox erased) RandomErasing.Apply(destination, size, size, erased, Augmentation.ErasingValue);
    }

    private static void Rotate(Span<float> planes, int size, double angle)
    {
        float[] copy = ArrayPool<float>.Shared.Rent(planes.Length);
        try
        {
            Span<float> source = copy.AsSpan(0, planes.Length);
            planes.CopyTo(source);
            RandomRotation.Apply(source, planes, size, size, angle);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(copy);
        }
    }
}
