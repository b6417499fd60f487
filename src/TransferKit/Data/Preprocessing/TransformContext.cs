namespace TransferKit.Data.Preprocessing;

/// <summary>
/// Identifies one draw of augmentation randomness: the run's seed, the epoch and the sample's index in the dataset.
/// <see cref="CreateRandom"/> derives a generator from the three alone (not from thread or call order), which is what
/// makes augmented runs reproducible with parallel decoding.
/// </summary>
/// <param name="Seed">The run's seed.</param>
/// <param name="Epoch">Zero-based epoch.</param>
/// <param name="SampleIndex">The sample's index in its dataset.</param>
public readonly record struct TransformContext(int Seed, int Epoch, int SampleIndex)
{
    /// <summary>A context for deterministic (evaluation) transforms.</summary>
    public static TransformContext Evaluation => default;

    /// <summary>A generator seeded by a SplitMix64 hash of (Seed, Epoch, SampleIndex).</summary>
    public Random CreateRandom()
    {
        ulong z = unchecked((ulong)(uint)Seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)Epoch << 32 ^ (uint)SampleIndex);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return new Random(unchecked((int)z ^ (int)(z >> 32)));
    }
}
