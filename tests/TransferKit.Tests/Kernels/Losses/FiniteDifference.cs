namespace TransferKit.Tests.Kernels.Losses;

/// <summary>Central differences in double for the loss gradient checks.</summary>
internal static class FiniteDifference
{
    /// <summary>Step 1e-6: truncation error ~1e-12, rounding error ~1e-16 / 1e-6 = 1e-10, both far below the tolerance.</summary>
    public const double Step = 1e-6;

    /// <summary>d f / d x[i] for every i of <paramref name="x"/> (restored afterwards).</summary>
    public static float[] Gradient(double[] x, Func<double[], double> f)
    {
        var grad = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double saved = x[i];
            x[i] = saved + Step;
            double plus = f(x);
            x[i] = saved - Step;
            double minus = f(x);
            x[i] = saved;
            grad[i] = (float)((plus - minus) / (2 * Step));
        }
        return grad;
    }

    public static float[] ToFloat(double[] x) => x.Select(v => (float)v).ToArray();

    public static double[] ToDouble(float[] x) => x.Select(v => (double)v).ToArray();
}
