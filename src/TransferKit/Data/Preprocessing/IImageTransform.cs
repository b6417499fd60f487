using TransferKit.Data.Decoding;

namespace TransferKit.Data.Preprocessing;

/// <summary>
/// Turns one decoded image into network input: resize, crop, optional augmentation, normalisation, written as
/// [3, <see cref="OutputHeight"/>, <see cref="OutputWidth"/>] floats (CHW). Implementations are stateless and
/// thread-safe: all randomness comes from the <see cref="TransformContext"/>, so the same seed, epoch and sample
/// give the same output on any thread.
/// </summary>
public interface IImageTransform
{
    /// <summary>Height of the output in pixels.</summary>
    int OutputHeight { get; }

    /// <summary>Width of the output in pixels.</summary>
    int OutputWidth { get; }

    /// <summary>Whether the output depends on <see cref="TransformContext"/> (random augmentation). A deterministic
    /// transform lets the trainer cache what the frozen prefix computes from it.</summary>
    bool IsRandom { get; }

    /// <summary>Writes the transformed image into <paramref name="destination"/> (length 3 * OutputHeight * OutputWidth).</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has the wrong length.</exception>
    void Apply(DecodedImage image, Span<float> destination, TransformContext context);
}
