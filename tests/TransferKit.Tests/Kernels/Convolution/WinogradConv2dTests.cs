using TransferKit.Kernels.Convolution;
using Xunit.Sdk;

namespace TransferKit.Tests.Kernels.Convolution;

public unsafe class WinogradConv2dTests
{
    /// <summary>Shapes the Winograd path is checked on: odd and even planes down to 1x1, both paddings, channel counts off the vector width.</summary>
    public static TheoryData<int, int, int, int, int, int, bool> Shapes => new()
    {
        // batch, cin, cout, height, width, pad, bias
        { 1, 1, 1, 1, 1, 1, false },
        { 2, 3, 2, 2, 2, 1, true },
        { 1, 2, 3, 3, 3, 0, true },
        { 3, 4, 5, 3, 3, 1, false },
        { 1, 5, 3, 4, 4, 0, false },
        { 2, 7, 9, 7, 7, 1, true },
        { 4, 3, 17, 7, 7, 0, true },
        { 5, 17, 6, 14, 14, 1, false },
        { 2, 16, 16, 14, 14, 0, true },
        { 1, 9, 5, 57, 31, 1, true },
        { 2, 6, 7, 31, 57, 0, false },
        { 1, 3, 4, 5, 40, 1, true },
        { 3, 33, 19, 9, 6, 1, true },
        { 1, 2, 2, 300, 5, 1, false },
        { 1, 2, 3, 6, 300, 1, true },
        { 1, 130, 3, 3, 4, 1, true },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardMatchesNaiveWithinRoundingAndOverwritesOutput(int batch, int cin, int cout, int height, int width, int pad, bool bias)
    {
        var g = new Conv2dGeometry(batch, cin, height, width, cout, 3, 3, PadHeight: pad, PadWidth: pad);
        CheckAgainstNaive(g, bias, scale: 1f, seed: batch * 1000 + cin * 31 + height);
    }

    [Theory]
    [InlineData(1, 1, 1, 1, 1, 1)]
    [InlineData(2, 3, 2, 2, 2, 1)]
    [InlineData(1, 2, 3, 3, 3, 0)]
    [InlineData(2, 7, 9, 7, 7, 1)]
    [InlineData(4, 3, 17, 8, 8, 0)]
    [InlineData(1, 9, 5, 57, 31, 1)]
    [InlineData(2, 6, 7, 9, 12, 2)]
    [InlineData(1, 33, 19, 9, 6, 1)]
    public void BackwardDataAddsTheNaiveInputGradientWithinRounding(int batch, int cin, int cout, int height, int width, int pad)
    {
        var g = new Conv2dGeometry(batch, cin, height, width, cout, 3, 3, PadHeight: pad, PadWidth: pad);
        var rng = new Random(batch * 100 + cin * 7 + pad);
        float[] gradOutput = Random(rng, g.OutputLength, 1f), weight = Random(rng, g.WeightLength, 1f), prior = Random(rng, g.InputLength, 1f);
        float[] expected = [.. prior], actual = [.. prior], magnitude = new float[g.InputLength];
        float[] absGrad = [.. gradOutput.Select(Math.Abs)], absWeight = [.. weight.Select(Math.Abs)];
        fixed (float* dy = gradOutput, w = weight, e = expected, a = actual, ady = absGrad, aw = absWeight, mag = magnitude)
        {
            NaiveConv2d.BackwardData(g, dy, w, e);
            NaiveConv2d.BackwardData(g, ady, aw, mag);
            WinogradConv2d.BackwardData(g, dy, w, a);
        }
        for (int i = 0; i < expected.Length; i++)
        {
            // The prior contents are added once more, exactly, on top of the rounding the gradient itself allows.
            double limit = Tolerances.WinogradAbsoluteSumRelative * (magnitude[i] + Math.Abs(prior[i])) + float.Epsilon;
            Assert.True(Math.Abs((double)actual[i] - expected[i]) <= limit, $"{g}: element {i} is {actual[i]}, expected {expected[i]}");
        }
    }

    [Fact]
    public void BackwardDataSelectionFollowsTheSetting_AndTheKernelUsesIt()
    {
        var previous = Conv2dKernel.ForwardAlgorithm;
        var large = new Conv2dGeometry(2, 64, 14, 14, 64, 3, 3, PadHeight: 1, PadWidth: 1);
        var g = new Conv2dGeometry(2, 6, 9, 7, 5, 3, 3, PadHeight: 1, PadWidth: 1);
        var rng = new Random(19);
        float[] gradOutput = Random(rng, g.OutputLength, 1f), weight = Random(rng, g.WeightLength, 1f);
        float[] direct = new float[g.InputLength], viaKernel = new float[g.InputLength], im2col = new float[g.InputLength];
        try
        {
            Conv2dKernel.ForwardAlgorithm = Conv2dForwardAlgorithm.Auto;
            Assert.True(Conv2dKernel.UsesWinogradBackwardData(large));
            Assert.False(Conv2dKernel.UsesWinogradBackwardData(large with { InChannels = 32 }));
            Assert.False(Conv2dKernel.UsesWinogradBackwardData(large with { StrideHeight = 2, StrideWidth = 2 }));
            Assert.False(Conv2dKernel.UsesWinogradBackwardData(large with { PadHeight = 3, PadWidth = 3 }));
            fixed (float* dy = gradOutput, w = weight, pd = direct, pk = viaKernel, pi = im2col)
            {
                WinogradConv2d.BackwardData(g, dy, w, pd);
                Conv2dKernel.ForwardAlgorithm = Conv2dForwardAlgorithm.Winograd;
                Conv2dKernel.BackwardData(g, dy, w, pk);
                Conv2dKernel.ForwardAlgorithm = Conv2dForwardAlgorithm.Im2Col;
                Assert.False(Conv2dKernel.UsesWinogradBackwardData(large));
                Conv2dKernel.BackwardData(g, dy, w, pi);
            }
        }
        finally
        {
            Conv2dKernel.ForwardAlgorithm = previous;
        }
        Assert.Equal(direct, viaKernel);
        Assert.NotEqual(direct, im2col);
        NumericAssert.KernelClose(im2col, direct, "im2col vs Winograd input gradient");
    }

    [Fact]
    public void ProductsHandedToTheThreadsWholeGiveTheSameBits()
    {
        var g = new Conv2dGeometry(3, 40, 12, 14, 36, 3, 3, PadHeight: 1, PadWidth: 1);
        var rng = new Random(23);
        float[] input = Random(rng, g.InputLength, 1f), weight = Random(rng, g.WeightLength, 1f), bias = Random(rng, g.OutChannels, 1f);
        float[] whole = new float[g.OutputLength], split = new float[g.OutputLength];
        bool previous = WinogradConv2d.WholeProductsPerThread;
        try
        {
            fixed (float* x = input, w = weight, b = bias, pw = whole, ps = split)
            {
                WinogradConv2d.WholeProductsPerThread = true;
                WinogradConv2d.Forward(g, x, w, b, pw);
                WinogradConv2d.WholeProductsPerThread = false;
                WinogradConv2d.Forward(g, x, w, b, ps);
            }
        }
        finally
        {
            WinogradConv2d.WholeProductsPerThread = previous;
        }
        Assert.Equal(split, whole);
    }

    [Fact]
    public void LargeMagnitudesStayWithinRounding()
    {
        CheckAgainstNaive(new Conv2dGeometry(2, 11, 9, 10, 13, 3, 3, PadHeight: 1, PadWidth: 1), bias: true, scale: 3e4f, seed: 7);
    }

    [Fact]
    public void SmallBlocksSplitTileRowsAcrossImages()
    {
        // One tile row (4 tiles) per block: blocks end inside images and the last block is short.
        int floats = WinogradConv2d.BlockFloats, tiles = WinogradConv2d.MinBlockTiles;
        try
        {
            WinogradConv2d.BlockFloats = 1;
            WinogradConv2d.MinBlockTiles = 1;
            CheckAgainstNaive(new Conv2dGeometry(3, 5, 7, 8, 6, 3, 3, PadHeight: 1, PadWidth: 1), bias: true, scale: 1f, seed: 11);
            WinogradConv2d.MinBlockTiles = 10; // three tile rows of 4 tiles: blocks straddle images
            CheckAgainstNaive(new Conv2dGeometry(3, 5, 7, 8, 6, 3, 3, PadHeight: 1, PadWidth: 1), bias: false, scale: 1f, seed: 12);
        }
        finally
        {
            WinogradConv2d.BlockFloats = floats;
            WinogradConv2d.MinBlockTiles = tiles;
        }
    }

    [Fact]
    public void SmallIntegersGiveTheExactResult()
    {
        // With small integers every product, sum and halving in the transforms is exact in float32, so any wrong
        // coefficient or misplaced tile shows as an error, however small.
        var g = new Conv2dGeometry(2, 5, 9, 11, 4, 3, 3, PadHeight: 1, PadWidth: 1);
        var rng = new Random(5);
        float[] input = Integers(rng, g.InputLength), weight = Integers(rng, g.WeightLength), bias = Integers(rng, g.OutChannels);
        float[] expected = new float[g.OutputLength], actual = new float[g.OutputLength];
        fixed (float* x = input, w = weight, b = bias, e = expected, a = actual)
        {
            NaiveConv2d.Forward(g, x, w, b, e);
            WinogradConv2d.Forward(g, x, w, b, a);
        }
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void UnsupportedGeometriesAreRejected()
    {
        float[] buffer = new float[4096];
        fixed (float* p = buffer)
        {
            float* q = p;
            Assert.Throws<ArgumentException>(() => WinogradConv2d.Forward(new Conv2dGeometry(1, 2, 8, 8, 2, 3, 3, 2, 2, 1, 1), q, q, null, q));
            Assert.Throws<ArgumentException>(() => WinogradConv2d.Forward(new Conv2dGeometry(1, 2, 8, 8, 2, 5, 5), q, q, null, q));
            Assert.Throws<ArgumentException>(() => WinogradConv2d.Forward(new Conv2dGeometry(1, 4, 8, 8, 4, 3, 3, Groups: 2), q, q, null, q));
            Assert.Throws<ArgumentException>(() => WinogradConv2d.Forward(
                new Conv2dGeometry(1, 2, 8, 8, 2, 3, 3, PadHeight: 2, PadWidth: 2, DilationHeight: 2, DilationWidth: 2), q, q, null, q));
        }
    }

    [Fact]
    public void SelectionFollowsTheAlgorithmSetting()
    {
        var previous = Conv2dKernel.ForwardAlgorithm;
        try
        {
            var large = new Conv2dGeometry(2, 64, 14, 14, 64, 3, 3, PadHeight: 1, PadWidth: 1);
            var stem = new Conv2dGeometry(2, 3, 14, 14, 64, 3, 3, PadHeight: 1, PadWidth: 1);
            var strided = new Conv2dGeometry(2, 64, 14, 14, 64, 3, 3, 2, 2, 1, 1);
            Conv2dKernel.ForwardAlgorithm = Conv2dForwardAlgorithm.Auto;
            Assert.True(Conv2dKernel.UsesWinograd(large));
            Assert.False(Conv2dKernel.UsesWinograd(stem));
            Assert.False(Conv2dKernel.UsesWinograd(strided));
            Assert.False(Conv2dKernel.UsesWinograd(large with { Batch = 1 })); // 49 tiles do not pay for the weight transform
            Assert.False(Conv2dKernel.UsesWinograd(large with { Batch = 8, InHeight = 7, InWidth = 7 })); // 7x7 plane
            Assert.False(Conv2dKernel.UsesWinograd(large with { OutChannels = 32 }));
            Conv2dKernel.ForwardAlgorithm = Conv2dForwardAlgorithm.Im2Col;
            Assert.False(Conv2dKernel.UsesWinograd(large));
            Conv2dKernel.ForwardAlgorithm = Conv2dForwardAlgorithm.Winograd;
            Assert.True(Conv2dKernel.UsesWinograd(stem));
            Assert.False(Conv2dKernel.UsesWinograd(strided));
        }
        finally
        {
            Conv2dKernel.ForwardAlgorithm = previous;
        }
    }

    [Fact]
    public void ForcedPathsGiveTheirOwnKernelsResults()
    {
        var g = new Conv2dGeometry(2, 6, 9, 7, 5, 3, 3, PadHeight: 1, PadWidth: 1);
        var rng = new Random(9);
        float[] input = Random(rng, g.InputLength, 1f), weight = Random(rng, g.WeightLength, 1f), bias = Random(rng, g.OutChannels, 1f);
        float[] winograd = new float[g.OutputLength], viaKernel = new float[g.OutputLength], im2col = new float[g.OutputLength];
        var previous = Conv2dKernel.ForwardAlgorithm;
        try
        {
            fixed (float* x = input, w = weight, b = bias, pw = winograd, pk = viaKernel, pi = im2col)
            {
                WinogradConv2d.Forward(g, x, w, b, pw);
                Conv2dKernel.ForwardAlgorithm = Conv2dForwardAlgorithm.Winograd;
                Conv2dKernel.Forward(g, x, w, b, pk);
                Conv2dKernel.ForwardAlgorithm = Conv2dForwardAlgorithm.Im2Col;
                Conv2dKernel.Forward(g, x, w, b, pi);
            }
        }
        finally
        {
            Conv2dKernel.ForwardAlgorithm = previous;
        }
        Assert.Equal(winograd, viaKernel);
        Assert.NotEqual(winograd, im2col); // different rounding: the switch really changes the path
        NumericAssert.KernelClose(im2col, winograd, "im2col vs Winograd");
    }

    [Theory]
    [InlineData(null, "Auto")]
    [InlineData("", "Auto")]
    [InlineData(" Auto ", "Auto")]
    [InlineData("im2col", "Im2Col")]
    [InlineData("IM2COL", "Im2Col")]
    [InlineData("winograd", "Winograd")]
    public void EnvironmentValuesParse(string? value, string expected) =>
        Assert.Equal(expected, Conv2dKernel.ParseAlgorithm(value).ToString());

    [Fact]
    public void UnknownEnvironmentValueNamesTheVariable()
    {
        var ex = Assert.Throws<TransferKitException>(() => Conv2dKernel.ParseAlgorithm("fft"));
        Assert.Contains("TRANSFERKIT_CONV", ex.Message);
        Assert.Contains("fft", ex.Message);
    }

    /// <summary>
    /// Runs Winograd with NaN in the output and the double-accumulating naive convolution, and bounds each element's
    /// error by <see cref="Tolerances.WinogradAbsoluteSumRelative"/> times the sum of the absolute values of its terms
    /// (the naive convolution of |input| and |weight| plus |bias|), the scale float32 rounding works on.
    /// </summary>
    private static void CheckAgainstNaive(Conv2dGeometry g, bool bias, float scale, int seed)
    {
        var rng = new Random(seed);
        float[] input = Random(rng, g.InputLength, scale), weight = Random(rng, g.WeightLength, 1f);
        float[] b = Random(rng, bias ? g.OutChannels : 0, scale);
        float[] expected = new float[g.OutputLength], actual = new float[g.OutputLength], magnitude = new float[g.OutputLength];
        Array.Fill(actual, float.NaN);
        float[] absInput = [.. input.Select(Math.Abs)], absWeight = [.. weight.Select(Math.Abs)], absBias = [.. b.Select(Math.Abs)];
        fixed (float* x = input, w = weight, pb = b, e = expected, a = actual, ax = absInput, aw = absWeight, ab = absBias, mag = magnitude)
        {
            NaiveConv2d.Forward(g, x, w, bias ? pb : null, e);
            NaiveConv2d.Forward(g, ax, aw, bias ? ab : null, mag);
            WinogradConv2d.Forward(g, x, w, bias ? pb : null, a);
        }
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs((double)actual[i] - expected[i]);
            double limit = Tolerances.WinogradAbsoluteSumRelative * magnitude[i] + float.Epsilon;
            if (!(error <= limit))
                throw new XunitException($"{g}: element {i} is {actual[i]}, expected {expected[i]} (error {error:G4} > {limit:G4}, sum of |terms| {magnitude[i]:G4}).");
        }
    }

    private static float[] Random(Random rng, int length, float scale)
    {
        var data = new float[length];
        for (int i = 0; i < length; i++) data[i] = (rng.NextSingle() * 2 - 1) * scale;
        return data;
    }

    private static float[] Integers(Random rng, int length)
    {
        var data = new float[length];
        for (int i = 0; i < length; i++) data[i] = rng.Next(-8, 9);
        return data;
    }
}
