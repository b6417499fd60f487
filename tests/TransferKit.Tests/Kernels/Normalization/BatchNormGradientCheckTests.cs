using TransferKit.Kernels.Normalization;

namespace TransferKit.Tests.Kernels.Normalization;

/// <summary>
/// Finite-difference checks of the batch-norm backward kernels: the loss L = sum(y * r) for a fixed random r is
/// evaluated by a small double-precision forward written here, differentiated by central differences, and
/// compared with the gradients the float kernels (fast and naive) produce.
/// </summary>
public unsafe class BatchNormGradientCheckTests
{
    private const double Eps = 1e-5;
    private const double Step = 1e-6;

    [Theory]
    [InlineData(3, 2, 5, true)]
    [InlineData(4, 3, 1, true)]
    [InlineData(1, 2, 6, false)]
    [InlineData(2, 1, 2, true)]
    public void BackwardTrainingMatchesCentralDifferences(int batch, int channels, int spatial, bool affine)
    {
        var rng = new Random(11 + batch * 7 + spatial);
        float[] x = BatchNormTestData.Input(rng, batch, channels, spatial, offsetScale: 1f);
        float[] r = BatchNormTestData.Uniform(rng, x.Length);
        float[] gamma = affine ? BatchNormTestData.Uniform(rng, channels, 0.5f, 1.5f) : Ones(channels);
        float[] beta = affine ? BatchNormTestData.Uniform(rng, channels) : new float[channels];

        double Loss(double[] xs, double[] g, double[] b) => Dot(TrainingForward(batch, channels, spatial, xs, g, b), r);
        Numerical expected = Numerical.Of(Loss, x, gamma, beta);

        float[] y = new float[x.Length], saveMean = new float[channels], saveInvStd = new float[channels];
        foreach (bool fastKernel in new[] { true, false })
        {
            float[] gradX = new float[x.Length], gradGamma = new float[channels], gradBeta = new float[channels];
            fixed (float* px = x, pr = r, pg = gamma, pb = beta, py = y, pm = saveMean, ps = saveInvStd,
                   gx = gradX, gg = gradGamma, gb = gradBeta)
            {
                float* gammaOrNull = affine ? pg : null, betaOrNull = affine ? pb : null;
                BatchNormKernel.ForwardTraining(batch, channels, spatial, px, gammaOrNull, betaOrNull, (float)Eps, 0.1f, null, null, py, pm, ps);
                if (fastKernel)
                    BatchNormKernel.BackwardTraining(batch, channels, spatial, px, pr, gammaOrNull, pm, ps, gx, gg, gb);
                else
                    NaiveBatchNorm.BackwardTraining(batch, channels, spatial, px, pr, gammaOrNull, pm, ps, gx, gg, gb);
            }
            string what = fastKernel ? "fast" : "naive";
            AssertGradient(expected.X, gradX, what + " gradX");
            AssertGradient(expected.Gamma, gradGamma, what + " gradGamma");
            AssertGradient(expected.Beta, gradBeta, what + " gradBeta");
        }
    }

    [Theory]
    [InlineData(3, 2, 5)]
    [InlineData(1, 4, 1)]
    public void BackwardInferenceMatchesCentralDifferences(int batch, int channels, int spatial)
    {
        var rng = new Random(23 + batch);
        float[] x = BatchNormTestData.Input(rng, batch, channels, spatial, offsetScale: 1f);
        float[] r = BatchNormTestData.Uniform(rng, x.Length);
        float[] gamma = BatchNormTestData.Uniform(rng, channels, 0.5f, 1.5f), beta = BatchNormTestData.Uniform(rng, channels);
        float[] mean = BatchNormTestData.Uniform(rng, channels), variance = BatchNormTestData.Uniform(rng, channels, 0.2f, 3f);

        double Loss(double[] xs, double[] g, double[] b)
        {
            var yv = new double[xs.Length];
            for (int i = 0; i < xs.Length; i++)
            {
                int c = i / spatial % channels;
                yv[i] = (xs[i] - mean[c]) / Math.Sqrt(variance[c] + Eps) * g[c] + b[c];
            }
            return Dot(yv, r);
        }
        Numerical expected = Numerical.Of(Loss, x, gamma, beta);

        foreach (bool fastKernel in new[] { true, false })
        {
            float[] gradX = new float[x.Length], gradGamma = new float[channels], gradBeta = new float[channels];
            fixed (float* px = x, pr = r, pg = gamma, pm = mean, pv = variance, gx = gradX, gg = gradGamma, gb = gradBeta)
            {
                if (fastKernel)
                    BatchNormKernel.BackwardInference(batch, channels, spatial, px, pr, pg, pm, pv, (float)Eps, gx, gg, gb);
                else
                    NaiveBatchNorm.BackwardInference(batch, channels, spatial, px, pr, pg, pm, pv, (float)Eps, gx, gg, gb);
            }
            string what = fastKernel ? "fast" : "naive";
            AssertGradient(expected.X, gradX, what + " gradX");
            AssertGradient(expected.Gamma, gradGamma, what + " gradGamma");
            AssertGradient(expected.Beta, gradBeta, what + " gradBeta");
        }
    }

    /// <summary>Training-mode batch norm in double: biased batch variance, per channel.</summary>
    private static double[] TrainingForward(int batch, int channels, int spatial, double[] x, double[] gamma, double[] beta)
    {
        var y = new double[x.Length];
        int count = batch * spatial;
        for (int c = 0; c < channels; c++)
        {
            double mean = 0, variance = 0;
            foreach (int i in ChannelIndices(batch, channels, spatial, c)) mean += x[i] / count;
            foreach (int i in ChannelIndices(batch, channels, spatial, c)) variance += (x[i] - mean) * (x[i] - mean) / count;
            foreach (int i in ChannelIndices(batch, channels, spatial, c))
                y[i] = (x[i] - mean) / Math.Sqrt(variance + Eps) * gamma[c] + beta[c];
        }
        return y;
    }

    private static IEnumerable<int> ChannelIndices(int batch, int channels, int spatial, int c)
    {
        for (int n = 0; n < batch; n++)
            for (int s = 0; s < spatial; s++) yield return (n * channels + c) * spatial + s;
    }

    private static double Dot(double[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static float[] Ones(int n)
    {
        var a = new float[n];
        Array.Fill(a, 1f);
        return a;
    }

    private static void AssertGradient(double[] expected, float[] actual, string what)
    {
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            Assert.True(error <= Tolerances.FloatGradientVsFiniteDifference * Math.Max(scale, 1e-3),
                $"{what}[{i}] = {actual[i]}, central difference {expected[i]} (error {error:G3}, scale {scale:G3}).");
        }
    }

    /// <summary>Central-difference gradients of a loss with respect to x, gamma and beta.</summary>
    private sealed record Numerical(double[] X, double[] Gamma, double[] Beta)
    {
        public static Numerical Of(Func<double[], double[], double[], double> loss, float[] x, float[] gamma, float[] beta)
        {
            double[] xs = Array.ConvertAll(x, v => (double)v), g = Array.ConvertAll(gamma, v => (double)v), b = Array.ConvertAll(beta, v => (double)v);
            double[] Differentiate(double[] target)
            {
                var grad = new double[target.Length];
                for (int i = 0; i < target.Length; i++)
                {
                    double keep = target[i];
                    target[i] = keep + Step;
                    double plus = loss(xs, g, b);
                    target[i] = keep - Step;
                    double minus = loss(xs, g, b);
                    target[i] = keep;
                    grad[i] = (plus - minus) / (2 * Step);
                }
                return grad;
            }
            return new Numerical(Differentiate(xs), Differentiate(g), Differentiate(b));
        }
    }
}
