namespace TransferKit.Data.Datasets;

/// <summary>
/// Fisher-Yates shuffles from a seeded <see cref="Random"/>, written out so the order depends only on the seed and the
/// (compatibility-frozen) seeded generator, not on how a library method happens to consume it.
/// </summary>
internal static class SeededShuffle
{
    /// <summary>Shuffles <paramref name="items"/> in place: for i from the end, swap with a uniform j in [0, i].</summary>
    public static void Shuffle(Span<int> items, Random random)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A generator for stream <paramref name="stream"/> of <paramref name="seed"/> (SplitMix64 finaliser of both).</summary>
    public static Random Create(int seed, int stream)
    {
        ulong z = unchecked(((ulong)(uint)seed << 32) ^ (uint)stream ^ 0xD1B54A32D192ED03UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return new Random(unchecked((int)z ^ (int)(z >> 32)));
    }
}
