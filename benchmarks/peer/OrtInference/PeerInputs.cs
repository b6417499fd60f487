namespace TransferKit.Benchmarks.Peer;

/// <summary>Seeded input batches and the comparison of the two sides' outputs.</summary>
internal static class PeerInputs
{
    /// <summary>A batch of <paramref name="batch"/> x 3 x size x size values uniform in [-2, 2), the same for the same seed.</summary>
    public static float[] Images(int batch, int size, int seed)
    {
        var input = new float[batch * 3 * size * size];
        var random = new Random(seed);
        for (int i = 0; i < input.Length; i++) input[i] = (float)((random.NextDouble() * 4) - 2);
        return input;
    }

    /// <summary>max |ours - theirs| / max |theirs|: the difference relative to the output's scale.</summary>
    /// <exception cref="InvalidOperationException">The outputs differ in length (the two sides ran different networks).</exception>
    public static double RelativeDifference(ReadOnlySpan<float> ours, ReadOnlySpan<float> theirs)
    {
        if (ours.Length != theirs.Length)
            throw new InvalidOperationException($"TransferKit gave {ours.Length} values and ONNX Runtime {theirs.Length}: the exports do not match the networks.");
        double difference = 0, scale = 0;
        for (int i = 0; i < ours.Length; i++)
        {
            difference = Math.Max(difference, Math.Abs(ours[i] - theirs[i]));
            scale = Math.Max(scale, Math.Abs(theirs[i]));
        }

        return difference / Math.Max(scale, 1e-12);
    }

    /// <summary>Global average pooling of an [N, C, H, W] map into [N, C], for comparing a feature map with pooled features.</summary>
    public static float[] Pool(ReadOnlySpan<float> map, int batch, int channels)
    {
        int plane = map.Length / (batch * channels);
        var pooled = new float[batch * channels];
        for (int i = 0; i < pooled.Length; i++)
        {
            double sum = 0;
            foreach (float v in map.Slice(i * plane, plane)) sum += v;
            pooled[i] = (float)(sum / plane);
        }

        return pooled;
    }
}
