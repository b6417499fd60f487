using Xunit.Sdk;

namespace TransferKit.Tests;

/// <summary>Element-wise closeness checks that report the worst element, its index and both values.</summary>
internal static class NumericAssert
{
    /// <summary>
    /// Passes when |actual - expected| &lt;= absolute + relative * max|expected| for every element
    /// (tolerance relative to the tensor's magnitude, as the PyTorch comparisons are stated).
    /// </summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float relative, float absolute, string what)
    {
        if (expected.Length != actual.Length)
            throw new XunitException($"{what}: length {actual.Length}, expected {expected.Length}.");
        float scale = 0;
        foreach (float e in expected) scale = Math.Max(scale, Math.Abs(e));
        float limit = absolute + relative * scale;
        int worst = -1;
        float worstError = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            float err = Math.Abs(actual[i] - expected[i]);
            if (float.IsNaN(actual[i]) != float.IsNaN(expected[i])) err = float.PositiveInfinity;
            if (err > worstError) { worstError = err; worst = i; }
        }
        if (worstError > limit)
            throw new XunitException($"{what}: element {worst} is {actual[worst]}, expected {expected[worst]} (error {worstError:G4} > limit {limit:G4}, scale {scale:G4}).");
    }

    /// <summary>Same as <see cref="Close(ReadOnlySpan{float}, ReadOnlySpan{float}, float, float, string)"/> with the kernel tolerances.</summary>
    public static void KernelClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what) =>
        Close(expected, actual, Tolerances.KernelRelative, Tolerances.KernelAbsolute, what);
}
