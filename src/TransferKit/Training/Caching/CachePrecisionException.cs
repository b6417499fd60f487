namespace TransferKit.Training.Caching;

/// <summary>
/// An activation does not fit the cache's element type: float16 holds magnitudes up to 65,504, and storing a larger one
/// would turn it into infinity and the loss into NaN epochs later. Thrown while the cache fills, before any training.
/// </summary>
public sealed class CachePrecisionException : TransferKitException
{
    /// <summary>Creates the exception for sample <paramref name="sampleIndex"/>, whose largest magnitude is <paramref name="magnitude"/>.</summary>
    /// <param name="sampleIndex">The dataset index of the sample.</param>
    /// <param name="magnitude">Its largest absolute activation.</param>
    /// <param name="sourceName">The sample's file or name, when known.</param>
    public CachePrecisionException(int sampleIndex, float magnitude, string? sourceName = null)
        : base(FormattableString.Invariant(
            $"{sourceName ?? $"sample {sampleIndex}"}: its frozen-prefix activations reach {magnitude:G4}, beyond float16's largest value 65504; cache in CachePrecision.BFloat16 (same memory, float32's range) or Float32."))
    {
        SampleIndex = sampleIndex;
        Magnitude = magnitude;
    }

    /// <summary>The dataset index of the sample.</summary>
    public int SampleIndex { get; }

    /// <summary>Its largest absolute activation.</summary>
    public float Magnitude { get; }
}
