using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;
using Xunit.Sdk;

namespace TransferKit.Tests.Kernels.Convolution;

public unsafe class Winograd4x4Conv2dTests
{
    /// <summary>Planes whose sides are and are not multiples of 4 (down to 1x1), both paddings, channel counts off the tile's 8 rows.</summary>
    public static TheoryData<int, int, int, int, int, int, bool> Shapes => new()
    {
        // batch, cin, cout, height, width, pad, bias
        { 1, 1, 1, 1, 1, 1, false },
        { 2, 3, 2, 2, 2, 1, true },
        { 1, 2, 3, 3, 3, 0, true },
        { 3, 4, 5, 3, 3, 1, false },
        { 1, 5, 3, 6, 6, 0, false },
        { 2, 7, 9, 7, 7, 1, true },
        { 4, 3, 17, 8, 8, 1, true },
        { 5, 17, 6, 14, 14, 1, false },
        { 2, 16, 16, 14, 14, 0, true },
        { 1, 9, 5, 57, 31, 1, true },
        { 2, 6, 7, 31, 57, 0, false },
        { 1, 3, 4, 5, 70, 1, true },
        { 3, 33, 19, 9, 6, 1, true },
        { 1, 2, 2, 300, 5, 1, false },
        { 1, 2, 3, 6, 300, 1, true },
        { 1, 130, 3, 3, 4, 1, true },
        { 2, 64, 64, 28, 28, 1, true },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardMatchesNaiveWithinTheTransformsRounding(int batch, int cin, int cout, int height, int width, int pad, bool bias)
    {
        var g = new Conv2dGeometry(batch, cin, height, width, cout, 3, 3, PadHeight: pad, PadWidth: pad);
        CheckAgainstNaive(g, bias, ActivationKind.Identity, residual: false, kept: false, seed: batch * 1000 + cin * 31 + height);
    }

    [Theory]
    [InlineData(ActivationKind.ReLU, true)]
    [InlineData(ActivationKind.ReLU6, false)]
    [InlineData(ActivationKind.SiLU, true)]
    [InlineData(ActivationKind.Identity, true)]
    public void TheEpilogueAddsBiasAndResidualThenActivates(ActivationKind activation, bool residual)
    {
        CheckAgainstNaive(new Conv2dGeometry(2, 12, 13, 11, 10, 3, 3, PadHeight: 1, PadWidth: 1), bias: true, activation, residual, kept: false, seed: 5);
    }

    [Fact]
    public void KeptWeightsGiveTheSameOutputsOnEveryCall()
    {
        var g = new Conv2dGeometry(2, 19, 10, 14, 14, 3, 3, PadHeight: 1, PadWidth: 1);
        float[] first = CheckAgainstNaive(g, bias: true, ActivationKind.ReLU, residual: false, kept: true, seed: 9);
        float[] fresh = CheckAgainstNaive(g, bias: true, ActivationKind.ReLU, residual: false, kept: false, seed: 9);
        Assert.Equal(fresh, first);
    }

    [Theory]
    [InlineData(16, 24, 32, 28, true)]
    [InlineData(3, 40, 17, 23, false)]
    public void EveryThreadCountGivesTheSameBits(int batch, int cin, int cout, int side, bool privateBlocks)
    {
        if (!Winograd4x4Conv2d.IsAvailable) return;
        var g = new Conv2dGeometry(batch, cin, side, side, cout, 3, 3, PadHeight: 1, PadWidth: 1);
        var rng = new Random(batch + cin);
        float[] input = Random(rng, g.InputLength), weight = Random(rng, g.WeightLength), bias = Random(rng, cout);
        float[]? first = null;
        bool before = Winograd4x4Conv2d.PrivateBlocks;
        int floats = Winograd4x4Conv2d.PrivateBlockFloats;
        try
        {
            // One-sliver blocks: 784 tiles make 25 of them, enough to go whole to two or three threads.
            Winograd4x4Conv2d.PrivateBlocks = privateBlocks;
            Winograd4x4Conv2d.PrivateBlockFloats = 1;
            foreach (int threads in new[] { 1, 2, 3 })
            {
                float[] output = new float[g.OutputLength];
                ThreadCount.With(threads, () =>
                {
                    fixed (float* x = input, w = weight, b = bias, y = output) Winograd4x4Conv2d.Forward(g, x, w, b, y, ActivationKind.ReLU);
                });
                if (first is null) first = output;
                else Assert.Equal(first, output);
            }
        }
        finally
        {
            Winograd4x4Conv2d.PrivateBlocks = before;
            Winograd4x4Conv2d.PrivateBlockFloats = floats;
        }
    }

    [Fact]
    public void SmallBlocksSplitTileRowsAcrossImages()
    {
        int floats = Winograd4x4Conv2d.BlockFloats, privateFloats = Winograd4x4Conv2d.PrivateBlockFloats;
        bool privateBlocks = Winograd4x4Conv2d.PrivateBlocks;
        try
        {
            // 32 tiles per block: tile rows of 7 tiles end inside blocks, blocks straddle images, the last is short.
            Winograd4x4Conv2d.BlockFloats = 1;
            Winograd4x4Conv2d.PrivateBlocks = false;
            CheckAgainstNaive(new Conv2dGeometry(3, 5, 7, 26, 27, 3, 3, PadHeight: 1, PadWidth: 1), bias: true, ActivationKind.Identity, false, false, seed: 11);
            CheckAgainstNaive(new Conv2dGeometry(2, 3, 4, 9, 130, 3, 3, PadHeight: 0, PadWidth: 0), bias: false, ActivationKind.ReLU, true, false, seed: 12);
            // The same blocks, each run whole by one thread (420 tiles: 14 blocks).
            Winograd4x4Conv2d.PrivateBlocks = true;
            Winograd4x4Conv2d.PrivateBlockFloats = 1;
            CheckAgainstNaive(new Conv2dGeometry(4, 5, 7, 40, 41, 3, 3, PadHeight: 1, PadWidth: 1), bias: true, ActivationKind.ReLU, true, false, seed: 13);
        }
        finally
        {
            Winograd4x4Conv2d.BlockFloats = floats;
            Winograd4x4Conv2d.PrivateBlockFloats = privateFloats;
            Winograd4x4Conv2d.PrivateBlocks = privateBlocks;
        }
    }

    [Fact]
    public void AutoTakesItOnWideEnoughLayers_AndTheSettingForcesIt()
    {
        if (!Winograd4x4Conv2d.IsAvailable) return;
        var wide = new Conv2dGeometry(16, 64, 56, 56, 64, 3, 3, PadHeight: 1, PadWidth: 1);
        var strided = wide with { StrideHeight = 2, StrideWidth = 2 };
        using (new ForcedConvAlgorithm(Conv2dForwardAlgorithm.Auto))
        {
            Assert.True(Conv2dKernel.UsesWinograd4x4(wide, weightsKept: true));
            Assert.True(Conv2dKernel.UsesWinograd4x4(wide, weightsKept: false));
            // Under a recording tape the forward pass keeps exact positions, so ties break as PyTorch's do.
            Assert.False(Conv2dKernel.UsesWinograd4x4(wide, weightsKept: false, gradientsFollow: true));
            Assert.False(Conv2dKernel.UsesWinograd4x4(wide, weightsKept: true, gradientsFollow: true));
            Assert.False(Conv2dKernel.UsesWinograd4x4(wide with { Batch = 1, InHeight = 14, InWidth = 14 }, weightsKept: false));
            Assert.False(Conv2dKernel.UsesWinograd4x4(strided, weightsKept: true));
            using (TransferKit.Kernels.Gemm.BFloat16Scope.Enter(true)) Assert.True(Conv2dKernel.UsesWinograd4x4(wide, weightsKept: true));
            Assert.False(Conv2dKernel.UsesWinograd4x4(wide with { InChannels = 16 }, weightsKept: true));
            Assert.False(Conv2dKernel.UsesWinograd4x4(wide with { Batch = 1, InHeight = 7, InWidth = 7 }, weightsKept: true));
            // One 14x14 image has 16 tiles: a whole sliver of the AVX2 tile, half of the AVX-512 one.
            Assert.Equal(Winograd4x4Conv2d.SliverTiles <= 16, Conv2dKernel.UsesWinograd4x4(wide with { Batch = 1, InHeight = 14, InWidth = 14 }, weightsKept: true));
            // Narrow outputs on small planes go to the AVX-512 direct kernel where it runs, and here otherwise.
            var narrowSmall = wide with { OutChannels = 32, InHeight = 14, InWidth = 14 };
            Assert.Equal(!(DirectConv2d.Supports(narrowSmall) && DirectConv2d.Wide), Conv2dKernel.UsesWinograd4x4(narrowSmall, weightsKept: true));
            Assert.True(Conv2dKernel.UsesWinograd4x4(wide with { OutChannels = 32, InHeight = 28, InWidth = 28 }, weightsKept: true));
        }
        using (new ForcedConvAlgorithm(Conv2dForwardAlgorithm.Winograd4x4))
        {
            Assert.True(Conv2dKernel.UsesWinograd4x4(wide with { InChannels = 3 }));
            Assert.True(Conv2dKernel.UsesWinograd4x4(wide, gradientsFollow: true));
        }
        using (new ForcedConvAlgorithm(Conv2dForwardAlgorithm.Im2Col)) Assert.False(Conv2dKernel.UsesWinograd4x4(wide, weightsKept: true));
        Assert.Equal(Conv2dForwardAlgorithm.Winograd4x4, Conv2dKernel.ParseAlgorithm(" Winograd4x4 "));
    }

    [Theory]
    [InlineData(1, 1, 1, 1, 1, 1, false)]
    [InlineData(2, 3, 2, 2, 2, 1, true)]
    [InlineData(1, 2, 3, 3, 3, 0, false)]
    [InlineData(2, 7, 9, 7, 7, 1, true)]
    [InlineData(4, 3, 17, 8, 8, 0, false)]
    [InlineData(1, 9, 5, 57, 31, 1, true)]
    [InlineData(2, 6, 7, 9, 12, 2, false)]
    [InlineData(1, 33, 19, 9, 6, 1, true)]
    public void BackwardDataWritesOrAddsTheNaiveInputGradient(int batch, int cin, int cout, int height, int width, int pad, bool overwrite)
    {
        if (!Winograd4x4Conv2d.IsAvailable) return;
        var g = new Conv2dGeometry(batch, cin, height, width, cout, 3, 3, PadHeight: pad, PadWidth: pad);
        var rng = new Random(batch * 100 + cin * 7 + pad);
        float[] gradOutput = Random(rng, g.OutputLength), weight = Random(rng, g.WeightLength), prior = Random(rng, g.InputLength);
        float[] expected = overwrite ? new float[g.InputLength] : [.. prior], magnitude = new float[g.InputLength];
        float[] actual = overwrite ? [.. prior.Select(_ => float.NaN)] : [.. prior];
        float[] absGrad = [.. gradOutput.Select(Math.Abs)], absWeight = [.. weight.Select(Math.Abs)];
        fixed (float* dy = gradOutput, w = weight, e = expected, a = actual, ady = absGrad, aw = absWeight, mag = magnitude)
        {
            NaiveConv2d.BackwardData(g, dy, w, e);
            NaiveConv2d.BackwardData(g, ady, aw, mag);
            Winograd4x4Conv2d.BackwardData(g, dy, w, a, overwrite);
        }
        for (int i = 0; i < expected.Length; i++)
        {
            double limit = Tolerances.Winograd4x4AbsoluteSumRelative * (magnitude[i] + (overwrite ? 0 : Math.Abs(prior[i]))) + float.Epsilon;
            if (!(Math.Abs((double)actual[i] - expected[i]) <= limit))
                throw new XunitException($"{g}: element {i} is {actual[i]}, expected {expected[i]} (limit {limit:G4}).");
        }
    }

    [Fact]
    public void TheKernelTakesInputGradientsWithManyTilesOnly()
    {
        if (!Winograd4x4Conv2d.IsAvailable) return;
        using var auto = new ForcedConvAlgorithm(Conv2dForwardAlgorithm.Auto);
        // Weights rotated on every call: 48 tiles of the transposed forward at least.
        Assert.True(Conv2dKernel.UsesWinograd4x4BackwardData(new Conv2dGeometry(32, 64, 32, 32, 128, 3, 3, PadHeight: 1, PadWidth: 1)));
        Assert.True(Conv2dKernel.UsesWinograd4x4BackwardData(new Conv2dGeometry(16, 512, 7, 7, 512, 3, 3, PadHeight: 1, PadWidth: 1)));
        Assert.False(Conv2dKernel.UsesWinograd4x4BackwardData(new Conv2dGeometry(1, 256, 14, 14, 256, 3, 3, PadHeight: 1, PadWidth: 1)));
        Assert.False(Conv2dKernel.UsesWinograd4x4(new Conv2dGeometry(2, 512, 7, 7, 512, 3, 3, PadHeight: 1, PadWidth: 1), weightsKept: false));
        Assert.True(Conv2dKernel.UsesWinograd4x4(new Conv2dGeometry(8, 512, 7, 7, 512, 3, 3, PadHeight: 1, PadWidth: 1), weightsKept: true));
    }

    [Fact]
    public void UnsupportedGeometriesAreRefused()
    {
        var g = new Conv2dGeometry(1, 2, 8, 8, 2, 3, 3, StrideHeight: 2, StrideWidth: 2, PadHeight: 1, PadWidth: 1);
        float[] x = new float[g.InputLength], w = new float[g.WeightLength], y = new float[g.OutputLength];
        fixed (float* px = x, pw = w, py = y)
        {
            float* input = px, weight = pw, output = py;
            Assert.Throws<ArgumentException>(() => Winograd4x4Conv2d.Forward(g, input, weight, null, output));
        }
    }

    /// <summary>
    /// The kernel against the double-accumulating naive convolution with the same epilogue, per element, relative to
    /// the sum of the absolute values of the element's terms (plus the residual's magnitude); returns the kernel's output.
    /// </summary>
    private static float[] CheckAgainstNaive(Conv2dGeometry g, bool bias, ActivationKind activation, bool residual, bool kept, int seed)
    {
        if (!Winograd4x4Conv2d.IsAvailable) return [];
        var rng = new Random(seed);
        float[] input = Random(rng, g.InputLength), weight = Random(rng, g.WeightLength);
        float[] b = Random(rng, bias ? g.OutChannels : 0), r = Random(rng, residual ? g.OutputLength : 0);
        float[] expected = new float[g.OutputLength], actual = new float[g.OutputLength], magnitude = new float[g.OutputLength];
        Array.Fill(actual, float.NaN);
        float[] absInput = [.. input.Select(Math.Abs)], absWeight = [.. weight.Select(Math.Abs)], absBias = [.. b.Select(Math.Abs)];
        using var keptWeights = kept ? new PreparedConvWeights() : null;
        fixed (float* x = input, w = weight, pb = b, pr = r, e = expected, a = actual, ax = absInput, aw = absWeight, ab = absBias, mag = magnitude)
        {
            NaiveConv2d.Forward(g, x, w, bias ? pb : null, e);
            NaiveConv2d.Forward(g, ax, aw, bias ? ab : null, mag);
            using var scope = keptWeights?.Use(w);
            Winograd4x4Conv2d.Forward(g, x, w, bias ? pb : null, a, activation, residual ? pr : null);
            if (kept) Winograd4x4Conv2d.Forward(g, x, w, bias ? pb : null, a, activation, residual ? pr : null);
        }
        for (int i = 0; i < expected.Length; i++)
        {
            double sum = expected[i] + (residual ? r[i] : 0f);
            double want = activation switch
            {
                ActivationKind.ReLU => Math.Max(sum, 0),
                ActivationKind.ReLU6 => Math.Clamp(sum, 0, 6),
                ActivationKind.SiLU => sum / (1 + Math.Exp(-sum)),
                _ => sum,
            };
            double error = Math.Abs(actual[i] - want);
            // The activations are 1-Lipschitz; SiLU's fast exp adds a few ulps of its own.
            double limit = Tolerances.Winograd4x4AbsoluteSumRelative * (magnitude[i] + (residual ? Math.Abs(r[i]) : 0))
                + (activation == ActivationKind.SiLU ? 1e-6 * Math.Abs(want) : 0) + float.Epsilon;
            if (!(error <= limit))
                throw new XunitException($"{g}: element {i} is {actual[i]}, expected {want} (error {error:G4} > {limit:G4}, sum of |terms| {magnitude[i]:G4}).");
        }
        return actual;
    }

    private static float[] Random(Random rng, int length)
    {
        var data = new float[length];
        for (int i = 0; i < length; i++) data[i] = rng.NextSingle() * 2 - 1;
        return data;
    }
}
