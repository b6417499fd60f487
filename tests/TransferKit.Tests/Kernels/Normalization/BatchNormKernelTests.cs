using TransferKit.Kernels.Normalization;

namespace TransferKit.Tests.Kernels.Normalization;

public unsafe class BatchNormKernelTests
{
    private const float Eps = 1e-5f;

    [Fact]
    public void ForwardTrainingMatchesNaiveOverShapesAndVariants()
    {
        var rng = new Random(1);
        foreach ((int batch, int channels, int spatial) in BatchNormTestData.Shapes())
        {
            bool affine = (batch + channels) % 2 == 0, tracking = channels % 3 != 0;
            float momentum = batch % 2 == 0 ? 0.1f : 0.01f;
            string what = $"N{batch} C{channels} S{spatial} affine={affine} tracking={tracking} m={momentum}";
            float[] x = BatchNormTestData.Input(rng, batch, channels, spatial);
            float[]? gamma = affine ? BatchNormTestData.Uniform(rng, channels, 0.5f, 1.5f) : null;
            float[]? beta = affine ? BatchNormTestData.Uniform(rng, channels) : null;
            float[]? mean0 = tracking ? BatchNormTestData.Uniform(rng, channels) : null;
            float[]? var0 = tracking ? BatchNormTestData.Uniform(rng, channels, 0.5f, 2f) : null;

            var fast = TrainingOutputs.Run(fastKernel: true, batch, channels, spatial, x, gamma, beta, momentum, mean0, var0);
            var naive = TrainingOutputs.Run(fastKernel: false, batch, channels, spatial, x, gamma, beta, momentum, mean0, var0);
            NumericAssert.KernelClose(naive.Y, fast.Y, what + " y");
            NumericAssert.KernelClose(naive.SaveMean, fast.SaveMean, what + " saveMean");
            NumericAssert.KernelClose(naive.SaveInvStd, fast.SaveInvStd, what + " saveInvStd");
            if (tracking)
            {
                NumericAssert.KernelClose(naive.RunningMean!, fast.RunningMean!, what + " runningMean");
                NumericAssert.KernelClose(naive.RunningVar!, fast.RunningVar!, what + " runningVar");
            }
        }
    }

    [Fact]
    public void ForwardInferenceMatchesNaive()
    {
        var rng = new Random(2);
        foreach ((int batch, int channels, int spatial) in BatchNormTestData.Shapes())
        {
            bool affine = channels % 2 == 1;
            string what = $"N{batch} C{channels} S{spatial} affine={affine}";
            float[] x = BatchNormTestData.Input(rng, batch, channels, spatial);
            float[]? gamma = affine ? BatchNormTestData.Uniform(rng, channels, 0.5f, 1.5f) : null;
            float[]? beta = affine ? BatchNormTestData.Uniform(rng, channels) : null;
            float[] mean = BatchNormTestData.Uniform(rng, channels), variance = BatchNormTestData.Uniform(rng, channels, 0.2f, 3f);
            float[] fast = new float[x.Length], naive = new float[x.Length];
            fixed (float* px = x, pg = gamma, pb = beta, pm = mean, pv = variance, pf = fast, pn = naive)
            {
                BatchNormKernel.ForwardInference(batch, channels, spatial, px, pg, pb, pm, pv, Eps, pf);
                NaiveBatchNorm.ForwardInference(batch, channels, spatial, px, pg, pb, pm, pv, Eps, pn);
            }
            NumericAssert.KernelClose(naive, fast, what);
        }
    }

    [Fact]
    public void ForwardInferenceReluOfAChannelPrefixMatchesNaiveThenRelu()
    {
        var rng = new Random(5);
        foreach ((int batch, int channels, int spatial) in BatchNormTestData.Shapes())
        {
            // The first `channels` channels of images that hold three more.
            int wider = channels + 3;
            bool affine = channels % 2 == 0;
            string what = $"N{batch} C{channels} of {wider} S{spatial} affine={affine}";
            float[] x = BatchNormTestData.Input(rng, batch, wider, spatial);
            float[] prefix = new float[batch * channels * spatial];
            for (int n = 0; n < batch; n++) Array.Copy(x, n * wider * spatial, prefix, n * channels * spatial, channels * spatial);
            float[]? gamma = affine ? BatchNormTestData.Uniform(rng, channels, 0.5f, 1.5f) : null;
            float[]? beta = affine ? BatchNormTestData.Uniform(rng, channels) : null;
            float[] mean = BatchNormTestData.Uniform(rng, channels), variance = BatchNormTestData.Uniform(rng, channels, 0.2f, 3f);
            float[] fast = new float[prefix.Length], naive = new float[prefix.Length];
            fixed (float* px = x, pp = prefix, pg = gamma, pb = beta, pm = mean, pv = variance, pf = fast, pn = naive)
            {
                BatchNormKernel.ForwardInferenceRelu(batch, channels, spatial, px, (long)wider * spatial, pg, pb, pm, pv, Eps, pf);
                NaiveBatchNorm.ForwardInference(batch, channels, spatial, pp, pg, pb, pm, pv, Eps, pn);
            }
            for (int i = 0; i < naive.Length; i++) naive[i] = Math.Max(naive[i], 0f);
            NumericAssert.KernelClose(naive, fast, what);
        }
        // An image stride shorter than the channels it should hold.
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchNormKernel.ForwardInferenceRelu(1, 4, 2, null, 7, null, null, null, null, Eps, null));
    }

    [Fact]
    public void BackwardTrainingMatchesNaiveAndAddsIntoPrefilledGradients()
    {
        var rng = new Random(3);
        int variant = 0;
        foreach ((int batch, int channels, int spatial) in BatchNormTestData.Shapes())
        {
            bool affine = variant % 2 == 0;
            // Rotate which gradients are requested so every null combination is exercised.
            bool wantX = variant % 4 != 3, wantGamma = variant % 3 != 2, wantBeta = variant % 5 != 4;
            variant++;
            string what = $"N{batch} C{channels} S{spatial} affine={affine}";
            float[] x = BatchNormTestData.Input(rng, batch, channels, spatial);
            float[] gradY = BatchNormTestData.Uniform(rng, x.Length);
            float[]? gamma = affine ? BatchNormTestData.Uniform(rng, channels, 0.5f, 1.5f) : null;
            var saved = TrainingOutputs.Run(fastKernel: false, batch, channels, spatial, x, gamma, null, 0.1f, null, null);
            var prefill = new Gradients(rng, x.Length, channels, wantX, wantGamma, wantBeta);
            Gradients fast = prefill.Copy(), naive = prefill.Zeroed();
            fixed (float* px = x, pgy = gradY, pg = gamma, pm = saved.SaveMean, ps = saved.SaveInvStd)
            {
                fixed (float* fx = fast.X, fg = fast.Gamma, fb = fast.Beta)
                    BatchNormKernel.BackwardTraining(batch, channels, spatial, px, pgy, pg, pm, ps, fx, fg, fb);
                fixed (float* nx = naive.X, ng = naive.Gamma, nb = naive.Beta)
                    NaiveBatchNorm.BackwardTraining(batch, channels, spatial, px, pgy, pg, pm, ps, nx, ng, nb);
            }
            fast.AssertEqualsPrefillPlus(prefill, naive, what);
        }
    }

    [Fact]
    public void BackwardInferenceMatchesNaiveAndAddsIntoPrefilledGradients()
    {
        var rng = new Random(4);
        int variant = 0;
        foreach ((int batch, int channels, int spatial) in BatchNormTestData.Shapes())
        {
            bool affine = variant % 2 == 1;
            bool wantX = variant % 3 != 1, wantGamma = variant % 4 != 1, wantBeta = variant % 5 != 1;
            variant++;
            string what = $"N{batch} C{channels} S{spatial} affine={affine}";
            float[] x = BatchNormTestData.Input(rng, batch, channels, spatial);
            float[] gradY = BatchNormTestData.Uniform(rng, x.Length);
            float[]? gamma = affine ? BatchNormTestData.Uniform(rng, channels, 0.5f, 1.5f) : null;
            float[] mean = BatchNormTestData.Uniform(rng, channels), variance = BatchNormTestData.Uniform(rng, channels, 0.2f, 3f);
            var prefill = new Gradients(rng, x.Length, channels, wantX, wantGamma, wantBeta);
            Gradients fast = prefill.Copy(), naive = prefill.Zeroed();
            fixed (float* px = x, pgy = gradY, pg = gamma, pm = mean, pv = variance)
            {
                fixed (float* fx = fast.X, fg = fast.Gamma, fb = fast.Beta)
                    BatchNormKernel.BackwardInference(batch, channels, spatial, px, pgy, pg, pm, pv, Eps, fx, fg, fb);
                fixed (float* nx = naive.X, ng = naive.Gamma, nb = naive.Beta)
                    NaiveBatchNorm.BackwardInference(batch, channels, spatial, px, pgy, pg, pm, pv, Eps, nx, ng, nb);
            }
            fast.AssertEqualsPrefillPlus(prefill, naive, what);
        }
    }

    [Fact]
    public void RunningStatisticsUseMomentumAndTheUnbiasedVarianceWhileOutputUsesTheBiasedOne()
    {
        // One channel, values 1 and 3: mean 2, biased variance 1, unbiased variance 2.
        float[] x = [1, 3], y = new float[2], saveMean = new float[1], saveInvStd = new float[1];
        float[] runningMean = [0], runningVar = [1];
        fixed (float* px = x, py = y, pm = saveMean, ps = saveInvStd, prm = runningMean, prv = runningVar)
            BatchNormKernel.ForwardTraining(2, 1, 1, px, null, null, Eps, 0.1f, prm, prv, py, pm, ps);
        Assert.Equal(0.9f * 0 + 0.1f * 2, runningMean[0], 6);
        Assert.Equal(0.9f * 1 + 0.1f * 2, runningVar[0], 6);
        Assert.Equal(2f, saveMean[0]);
        Assert.Equal(1 / Math.Sqrt(1 + Eps), saveInvStd[0], 6);
        Assert.Equal(-1 / Math.Sqrt(1 + Eps), y[0], 6);
        Assert.Equal(1 / Math.Sqrt(1 + Eps), y[1], 6);
    }

    [Fact]
    public void OneValuePerChannelIsRejectedInTrainingButNotInInference()
    {
        float[] x = [1, 2, 3], y = new float[3], stats = [0, 0, 0], ones = [1, 1, 1];
        fixed (float* px = x, py = y, ps = stats, po = ones)
        {
            nint xp = (nint)px, yp = (nint)py;
            var ex = Assert.Throws<ArgumentException>(() =>
                BatchNormKernel.ForwardTraining(1, 3, 1, (float*)xp, null, null, Eps, 0.1f, null, null, (float*)yp, null, null));
            Assert.Contains("more than 1 value per channel", ex.Message);
            Assert.Throws<ArgumentException>(() =>
                NaiveBatchNorm.ForwardTraining(1, 3, 1, (float*)xp, null, null, Eps, 0.1f, null, null, (float*)yp, null, null));
            BatchNormKernel.ForwardInference(1, 3, 1, px, null, null, ps, po, Eps, py);
        }
        Assert.Equal(3 / MathF.Sqrt(1 + Eps), y[2], 5);
    }

    [Fact]
    public void LargeChannelStatisticsStayAccurateToAboutOneMillionth()
    {
        // 32 x 64 x 64 = 131,072 values per channel with a mean far from zero: float accumulation would drift.
        const int batch = 32, channels = 2, spatial = 64 * 64;
        var rng = new Random(5);
        float[] x = new float[batch * channels * spatial];
        for (int i = 0; i < x.Length; i++) x[i] = 100f + (float)(rng.NextDouble() - 0.5) * (1 + (i / spatial % channels));
        float[] y = new float[x.Length], saveMean = new float[channels], saveInvStd = new float[channels];
        fixed (float* px = x, py = y, pm = saveMean, ps = saveInvStd)
            BatchNormKernel.ForwardTraining(batch, channels, spatial, px, null, null, Eps, 0.1f, null, null, py, pm, ps);
        for (int c = 0; c < channels; c++)
        {
            double sum = 0, squares = 0;
            long count = (long)batch * spatial;
            for (int n = 0; n < batch; n++)
                for (int s = 0; s < spatial; s++) sum += x[(n * channels + c) * spatial + s];
            double mean = sum / count;
            for (int n = 0; n < batch; n++)
                for (int s = 0; s < spatial; s++) squares += Math.Pow(x[(n * channels + c) * spatial + s] - mean, 2);
            double invStd = 1 / Math.Sqrt(squares / count + Eps);
            Assert.InRange(Math.Abs(saveMean[c] - mean) / Math.Abs(mean), 0, Tolerances.BatchNormStatisticsRelative);
            Assert.InRange(Math.Abs(saveInvStd[c] - invStd) / invStd, 0, Tolerances.BatchNormStatisticsRelative);
        }
    }

    [Fact]
    public void FoldedScaleAndShiftReproduceInferenceForward()
    {
        var rng = new Random(6);
        const int batch = 3, channels = 11, spatial = 13;
        float[] x = BatchNormTestData.Input(rng, batch, channels, spatial);
        float[] gamma = BatchNormTestData.Uniform(rng, channels, 0.5f, 1.5f), beta = BatchNormTestData.Uniform(rng, channels);
        float[] mean = BatchNormTestData.Uniform(rng, channels), variance = BatchNormTestData.Uniform(rng, channels, 0.2f, 3f);
        float[] expected = new float[x.Length], scale = new float[channels], shift = new float[channels];
        fixed (float* px = x, pg = gamma, pb = beta, pm = mean, pv = variance, pe = expected, psc = scale, psh = shift)
        {
            NaiveBatchNorm.ForwardInference(batch, channels, spatial, px, pg, pb, pm, pv, Eps, pe);
            BatchNormKernel.FoldToScaleShift(channels, pg, pb, pm, pv, Eps, psc, psh);
        }
        float[] folded = new float[x.Length];
        for (int i = 0; i < x.Length; i++) folded[i] = x[i] * scale[i / spatial % channels] + shift[i / spatial % channels];
        NumericAssert.KernelClose(expected, folded, "folded batch norm");
    }

    [Fact]
    public void OutputMayOverwriteInputAndEmptyBatchIsANoOp()
    {
        var rng = new Random(7);
        const int batch = 2, channels = 5, spatial = 9;
        float[] x = BatchNormTestData.Input(rng, batch, channels, spatial), inPlace = (float[])x.Clone(), y = new float[x.Length];
        fixed (float* px = x, pi = inPlace, py = y)
        {
            BatchNormKernel.ForwardTraining(batch, channels, spatial, px, null, null, Eps, 0.1f, null, null, py, null, null);
            BatchNormKernel.ForwardTraining(batch, channels, spatial, pi, null, null, Eps, 0.1f, null, null, pi, null, null);
        }
        Assert.Equal(y, inPlace);

        float[] runningMean = [0.5f, 0.5f], runningVar = [2, 2], saveMean = [9, 9], saveInvStd = [9, 9];
        fixed (float* prm = runningMean, prv = runningVar, pm = saveMean, ps = saveInvStd)
            BatchNormKernel.ForwardTraining(0, 2, 9, null, null, null, Eps, 0.1f, prm, prv, null, pm, ps);
        Assert.Equal([0.5f, 0.5f], runningMean);
        Assert.Equal([2f, 2f], runningVar);
        Assert.Equal([0f, 0f], saveMean);
    }

    /// <summary>Results of one training-mode forward pass (fast or naive) on copies of the running statistics.</summary>
    private sealed record TrainingOutputs(float[] Y, float[] SaveMean, float[] SaveInvStd, float[]? RunningMean, float[]? RunningVar)
    {
        public static TrainingOutputs Run(bool fastKernel, int batch, int channels, int spatial, float[] x,
            float[]? gamma, float[]? beta, float momentum, float[]? mean0, float[]? var0)
        {
            float[] y = new float[x.Length], saveMean = new float[channels], saveInvStd = new float[channels];
            float[]? runningMean = (float[]?)mean0?.Clone(), runningVar = (float[]?)var0?.Clone();
            fixed (float* px = x, pg = gamma, pb = beta, prm = runningMean, prv = runningVar, py = y, pm = saveMean, ps = saveInvStd)
            {
                if (fastKernel)
                    BatchNormKernel.ForwardTraining(batch, channels, spatial, px, pg, pb, Eps, momentum, prm, prv, py, pm, ps);
                else
                    NaiveBatchNorm.ForwardTraining(batch, channels, spatial, px, pg, pb, Eps, momentum, prm, prv, py, pm, ps);
            }
            return new TrainingOutputs(y, saveMean, saveInvStd, runningMean, runningVar);
        }
    }

    /// <summary>A set of gradient buffers, any of which may be absent (null pointer).</summary>
    private sealed class Gradients
    {
        public Gradients(float[]? x, float[]? gamma, float[]? beta) => (X, Gamma, Beta) = (x, gamma, beta);

        public Gradients(Random rng, int length, int channels, bool x, bool gamma, bool beta)
            : this(x ? BatchNormTestData.Uniform(rng, length) : null,
                gamma ? BatchNormTestData.Uniform(rng, channels) : null,
                beta ? BatchNormTestData.Uniform(rng, channels) : null)
        {
        }

        public float[]? X { get; }
        public float[]? Gamma { get; }
        public float[]? Beta { get; }

        public Gradients Copy() => new((float[]?)X?.Clone(), (float[]?)Gamma?.Clone(), (float[]?)Beta?.Clone());

        public Gradients Zeroed() => new(Zeros(X), Zeros(Gamma), Zeros(Beta));

        /// <summary>Asserts this == prefill + contribution, element-wise, for every present buffer.</summary>
        public void AssertEqualsPrefillPlus(Gradients prefill, Gradients contribution, string what)
        {
            Check(X, prefill.X, contribution.X, what + " gradX");
            Check(Gamma, prefill.Gamma, contribution.Gamma, what + " gradGamma");
            Check(Beta, prefill.Beta, contribution.Beta, what + " gradBeta");
        }

        private static void Check(float[]? actual, float[]? prefill, float[]? contribution, string what)
        {
            if (actual is null) return;
            float[] expected = new float[actual.Length];
            for (int i = 0; i < expected.Length; i++) expected[i] = prefill![i] + contribution![i];
            NumericAssert.KernelClose(expected, actual, what);
        }

        private static float[]? Zeros(float[]? a) => a is null ? null : new float[a.Length];
    }
}
