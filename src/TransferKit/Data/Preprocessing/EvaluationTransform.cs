using System.Buffers;
using TransferKit.Data.Decoding;
using TransferKit.Models;

namespace TransferKit.Data.Preprocessing;

/// <summary>
/// The deterministic evaluation transform of a <see cref="PreprocessingSpec"/>: resize the shorter side to
/// <see cref="ResizeSize"/> (Pillow's filter, antialiased), centre-crop <see cref="InputSize"/> square, normalise into
/// [3, InputSize, InputSize] floats. Equals torchvision's <c>Compose([Resize(ResizeSize), CenterCrop(InputSize),
/// ToTensor(), Normalize(mean, std)])</c> on PIL images. With <see cref="ResizeMode.Stretch"/> the whole image is resized to
/// InputSize square instead (<c>Resize((InputSize, InputSize))</c>), nothing cropped. Stateless and thread-safe.
/// </summary>
public sealed class EvaluationTransform : IImageTransform
{
    private readonly PixelNormalizer _normalizer;

    /// <summary>
    /// Builds the transform of <paramref name="spec"/>. With <paramref name="inputSize"/> the network input size is
    /// overridden and the resize size follows the spec's crop fraction, as timm does
    /// (<see cref="ImageResizer.ResizeSizeForCropFraction"/>): ImageNet224 at 288 resizes to 329.
    /// </summary>
    /// <exception cref="ArgumentException">The spec is invalid (see <see cref="PreprocessingSpec.Validate"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputSize"/> is less than 1.</exception>
    public EvaluationTransform(PreprocessingSpec spec, int? inputSize = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        if (inputSize is int size && size != spec.InputSize)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(size, 1, nameof(inputSize));
            spec = spec with { InputSize = size, ResizeSize = ImageResizer.ResizeSizeForCropFraction(size, spec.CropFraction) };
        }

        Spec = spec;
        _normalizer = new PixelNormalizer(spec.Normalization);
    }

    /// <summary>The spec in effect (with the input-size override applied).</summary>
    public PreprocessingSpec Spec { get; }

    /// <summary>Side of the square output.</summary>
    public int InputSize => Spec.InputSize;

    /// <summary>Shorter side after resizing, before the crop.</summary>
    public int ResizeSize => Spec.ResizeSize;

    /// <inheritdoc/>
    public int OutputHeight => Spec.InputSize;

    /// <inheritdoc/>
    public int OutputWidth => Spec.InputSize;

    /// <inheritdoc/>
    public bool IsRandom => false;

    /// <inheritdoc/>
    public void Apply(DecodedImage image, Span<float> destination, TransformContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        int size = Spec.InputSize;
        if (destination.Length != 3 * size * size)
            throw new ArgumentException($"Destination must hold 3 x {size} x {size} = {3 * size * size} floats, got {destination.Length}.", nameof(destination));
        byte[] crop = ArrayPool<byte>.Shared.Rent(size * size * 3);
        try
        {
            Span<byte> rgb = crop.AsSpan(0, size * size * 3);
            ImageResizer.ResizeToInput(image, Spec, rgb);
            _normalizer.Normalize(rgb, size, size, destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(crop);
        }
    }
}
