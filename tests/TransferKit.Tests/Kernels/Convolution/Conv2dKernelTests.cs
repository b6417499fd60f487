using TransferKit.Kernels.Convolution;

namespace TransferKit.Tests.Kernels.Convolution;

public unsafe class Conv2dKernelTests
{
    [Theory]
    [MemberData(nameof(Conv2dCases.Names), MemberType = typeof(Conv2dCases))]
    public void ForwardMatchesNaiveAndOverwritesOutput(string name)
    {
        var (g, hasBias) = Conv2dCases.All[name];
        var rng = new Random(1);
        float[] input = RandomArray(rng, g.InputLength), weight = RandomArray(rng, g.WeightLength);
        float[] bias = RandomArray(rng, hasBias ? g.OutChannels : 0);
        float[] expected = new float[g.OutputLength], actual = new float[g.OutputLength];
        Array.Fill(actual, float.NaN);
        fixed (float* x = input, w = weight, b = bias, e = expected, a = actual)
        {
            float* biasOrNull = hasBias ? b : null;
            NaiveConv2d.Forward(g, x, w, biasOrNull, e);
            Conv2dKernel.Forward(g, x, w, biasOrNull, a);
        }
        NumericAssert.KernelClose(expected, actual, $"forward {name}");
    }

    [Theory]
    [MemberData(nameof(Conv2dCases.Names), MemberType = typeof(Conv2dCases))]
    public void BackwardDataMatchesNaiveAndAdds(string name)
    {
        var (g, _) = Conv2dCases.All[name];
        var rng = new Random(2);
        float[] gradOutput = RandomArray(rng, g.OutputLength), weight = RandomArray(rng, g.WeightLength);
        float[] prefill = RandomArray(rng, g.InputLength);
        float[] gradient = new float[g.InputLength], naive = (float[])prefill.Clone(), actual = (float[])prefill.Clone();
        fixed (float* dy = gradOutput, w = weight, d = gradient, e = naive, a = actual)
        {
            NaiveConv2d.BackwardData(g, dy, w, d);
            NaiveConv2d.BackwardData(g, dy, w, e);
            Conv2dKernel.BackwardData(g, dy, w, a);
        }
        float[] expected = Sum(prefill, gradient);
        NumericAssert.KernelClose(expected, naive, $"naive backward-data {name}");
        NumericAssert.KernelClose(expected, actual, $"backward-data {name}");
    }

    /// <summary>
    /// The input gradient written over uninitialised memory, as the tape asks for a fresh gradient: stride-1 geometries
    /// run it as the forward convolution of the output gradient with the rotated kernel, and that must agree with the
    /// naive twin and with the column-matrix path it replaces.
    /// </summary>
    [Theory]
    [MemberData(nameof(Conv2dCases.Names), MemberType = typeof(Conv2dCases))]
    public void BackwardDataWrittenOverMatchesNaive(string name)
    {
        var (g, _) = Conv2dCases.All[name];
        var rng = new Random(4);
        float[] gradOutput = RandomArray(rng, g.OutputLength), weight = RandomArray(rng, g.WeightLength);
        float[] expected = new float[g.InputLength], actual = new float[g.InputLength], columns = new float[g.InputLength];
        Array.Fill(actual, float.NaN);
        Array.Fill(columns, float.NaN);
        bool saved = Conv2dKernel.BackwardDataAsForward;
        try
        {
            fixed (float* dy = gradOutput, w = weight, e = expected, a = actual, c = columns)
            {
                NaiveConv2d.BackwardData(g, dy, w, e);
                Conv2dKernel.BackwardData(g, dy, w, a, overwrite: true);
                Conv2dKernel.BackwardDataAsForward = false;
                Conv2dKernel.BackwardData(g, dy, w, c, overwrite: true);
            }
        }
        finally
        {
            Conv2dKernel.BackwardDataAsForward = saved;
        }
        NumericAssert.KernelClose(expected, actual, $"backward-data written over {name}");
        NumericAssert.KernelClose(expected, columns, $"backward-data through columns {name}");
    }

    [Theory]
    [MemberData(nameof(Conv2dCases.Names), MemberType = typeof(Conv2dCases))]
    public void BackwardWeightMatchesNaiveAndAdds(string name)
    {
        var (g, hasBias) = Conv2dCases.All[name];
        var rng = new Random(3);
        float[] input = RandomArray(rng, g.InputLength), gradOutput = RandomArray(rng, g.OutputLength);
        float[] prefillW = RandomArray(rng, g.WeightLength), prefillB = RandomArray(rng, hasBias ? g.OutChannels : 0);
        float[] gradW = new float[g.WeightLength], naiveW = (float[])prefillW.Clone(), actualW = (float[])prefillW.Clone();
        float[] gradB = new float[prefillB.Length], naiveB = (float[])prefillB.Clone(), actualB = (float[])prefillB.Clone();
        fixed (float* x = input, dy = gradOutput, gw = gradW, nw = naiveW, aw = actualW, gb = gradB, nb = naiveB, ab = actualB)
        {
            NaiveConv2d.BackwardWeight(g, x, dy, gw, hasBias ? gb : null);
            NaiveConv2d.BackwardWeight(g, x, dy, nw, hasBias ? nb : null);
            Conv2dKernel.BackwardWeight(g, x, dy, aw, hasBias ? ab : null);
        }
        float[] expectedW = Sum(prefillW, gradW), expectedB = Sum(prefillB, gradB);
        NumericAssert.KernelClose(expectedW, naiveW, $"naive backward-weight {name}");
        NumericAssert.KernelClose(expectedB, naiveB, $"naive backward-bias {name}");
        NumericAssert.KernelClose(expectedW, actualW, $"backward-weight {name}");
        NumericAssert.KernelClose(expectedB, actualB, $"backward-bias {name}");
    }

    [Fact]
    public void CasesReachEveryPath()
    {
        var geometries = Conv2dCases.All.Values.Select(c => c.Geometry).ToList();
        Assert.Contains(geometries, g => Conv2dKernel.IsDepthwise(g));
        Assert.Contains(geometries, g => Conv2dKernel.IsDepthwise(g) && g.OutChannels > g.InChannels);
        Assert.Contains(geometries, g => !Conv2dKernel.IsDepthwise(g) && Conv2dKernel.IsPointwise(g) && Conv2dKernel.ImagesPerGemm(g) == 1 && g.Batch > 1);
        Assert.Contains(geometries, g => !Conv2dKernel.IsDepthwise(g) && !Conv2dKernel.IsPointwise(g) && Conv2dKernel.ImagesPerGemm(g) == 1 && g.Batch > 1);
        Assert.Contains(geometries, g => !Conv2dKernel.IsDepthwise(g) && g.Batch % Conv2dKernel.ImagesPerGemm(g) != 0);
        Assert.Contains(geometries, g => !Conv2dKernel.IsDepthwise(g) && g.Groups > 1 && Conv2dKernel.ImagesPerGemm(g) > 1);
        Assert.Contains(geometries, g => Conv2dKernel.RunsBackwardDataForward(g) && !Conv2dKernel.UsesWinogradBackwardData(g) && g.PadHeight == 0);
        Assert.Contains(geometries, g => Conv2dKernel.RunsBackwardDataForward(g) && g.KernelHeight != g.KernelWidth);
    }

    /// <summary>
    /// Whole images per thread (<see cref="Conv2dKernel.WholeImagesPerThread"/>) against each image split across the
    /// threads: the same bits, with a bias, a residual and an activation riding on the product, on the im2col and the
    /// 1x1 paths, and for the input gradient.
    /// </summary>
    [Theory]
    [InlineData(4, 5, 17, 18, 7, 3, 1)]
    [InlineData(6, 6, 16, 17, 9, 1, 0)]
    [InlineData(9, 3, 20, 20, 8, 3, 1)]
    [InlineData(8, 7, 10, 12, 9, 1, 0)]
    public void WholeImagesPerThreadGiveTheSameBits(int batch, int cin, int height, int width, int cout, int kernel, int pad)
    {
        var g = new Conv2dGeometry(batch, cin, height, width, cout, kernel, kernel, PadHeight: pad, PadWidth: pad);
        // The last case's planes are small enough to be stacked: image by image it runs as 1x1 products instead.
        Assert.Equal(kernel == 1 && height * width < 256, Conv2dKernel.ImagesPerGemm(g) > 1);
        var rng = new Random(batch + cin);
        float[] input = RandomArray(rng, g.InputLength), weight = RandomArray(rng, g.WeightLength), bias = RandomArray(rng, cout);
        float[] residual = RandomArray(rng, g.OutputLength), gradOutput = RandomArray(rng, g.OutputLength), prior = RandomArray(rng, g.InputLength);
        (float[] Output, float[] GradInput) Run(bool whole)
        {
            float[] output = new float[g.OutputLength], gradInput = [.. prior];
            bool previous = Conv2dKernel.WholeImagesPerThread, previousUnstacked = Conv2dKernel.UnstackedPointwise;
            bool previousSideBySide = Conv2dKernel.SideBySideImages;
            Conv2dKernel.WholeImagesPerThread = whole;
            Conv2dKernel.UnstackedPointwise = whole;
            // Side by side, the 1x1 cases would take neither path (ImageColumnsGemmTests covers that one).
            Conv2dKernel.SideBySideImages = false;
            try
            {
                fixed (float* x = input, w = weight, b = bias, r = residual, y = output, dy = gradOutput, dx = gradInput)
                {
                    Conv2dKernel.ForwardFused(g, x, w, b, y, TransferKit.Kernels.Activations.ActivationKind.ReLU6, r);
                    Conv2dKernel.BackwardData(g, dy, w, dx);
                }
            }
            finally
            {
                Conv2dKernel.WholeImagesPerThread = previous;
                Conv2dKernel.UnstackedPointwise = previousUnstacked;
                Conv2dKernel.SideBySideImages = previousSideBySide;
            }
            return (output, gradInput);
        }
        var split = Run(whole: false);
        var whole = Run(whole: true);
        Assert.Equal(split.Output, whole.Output);
        Assert.Equal(split.GradInput, whole.GradInput);
        float[] expected = new float[g.OutputLength];
        fixed (float* x = input, w = weight, b = bias, e = expected) NaiveConv2d.Forward(g, x, w, b, e);
        for (int i = 0; i < expected.Length; i++) expected[i] = Math.Clamp(expected[i] + residual[i], 0f, 6f);
        NumericAssert.KernelClose(expected, whole.Output, "whole images, fused forward");
    }

    /// <summary>
    /// Weights packed once for all the images (<see cref="Conv2dKernel.PacksWeightsOnce"/>) against packed for each
    /// image: the same bits forward and for the input gradient, with depths of one and of several k blocks.
    /// </summary>
    [Theory]
    [InlineData(4, 60, 9, 10, 11, 3, 1)]
    [InlineData(6, 600, 7, 7, 17, 1, 0)]
    [InlineData(4, 5, 17, 18, 7, 3, 1)]
    public void WeightsPackedOnceGiveTheSameBits(int batch, int cin, int height, int width, int cout, int kernel, int pad)
    {
        var g = new Conv2dGeometry(batch, cin, height, width, cout, kernel, kernel, PadHeight: pad, PadWidth: pad);
        var rng = new Random(batch * cin);
        float[] input = RandomArray(rng, g.InputLength), weight = RandomArray(rng, g.WeightLength), bias = RandomArray(rng, cout);
        float[] gradOutput = RandomArray(rng, g.OutputLength), prior = RandomArray(rng, g.InputLength);
        (float[] Output, float[] GradInput) Run(bool once)
        {
            float[] output = new float[g.OutputLength], gradInput = [.. prior];
            bool previous = Conv2dKernel.PacksWeightsOnce;
            Conv2dKernel.PacksWeightsOnce = once;
            try
            {
                fixed (float* x = input, w = weight, b = bias, y = output, dy = gradOutput, dx = gradInput)
                {
                    Conv2dKernel.ForwardFused(g, x, w, b, y, TransferKit.Kernels.Activations.ActivationKind.ReLU, null);
                    Conv2dKernel.BackwardData(g, dy, w, dx);
                }
            }
            finally
            {
                Conv2dKernel.PacksWeightsOnce = previous;
            }
            return (output, gradInput);
        }
        var perImage = Run(once: false);
        var once = Run(once: true);
        Assert.Equal(perImage.Output, once.Output);
        Assert.Equal(perImage.GradInput, once.GradInput);
        float[] expected = new float[g.OutputLength];
        fixed (float* x = input, w = weight, b = bias, e = expected) NaiveConv2d.Forward(g, x, w, b, e);
        for (int i = 0; i < expected.Length; i++) expected[i] = Math.Max(expected[i], 0f);
        NumericAssert.KernelClose(expected, once.Output, "weights packed once, fused forward");
    }

    [Fact]
    public void ForwardOnKnownValues()
    {
        // One 3x3 image, 2x2 all-ones kernel, bias 0.5: each output is the sum of a 2x2 window plus 0.5.
        var g = new Conv2dGeometry(1, 1, 3, 3, 1, 2, 2);
        float[] input = [1, 2, 3, 4, 5, 6, 7, 8, 9], weight = [1, 1, 1, 1], bias = [0.5f], output = new float[4];
        fixed (float* x = input, w = weight, b = bias, y = output)
            Conv2dKernel.Forward(g, x, w, b, y);
        Assert.Equal([12.5f, 16.5f, 24.5f, 28.5f], output);
    }

    [Fact]
    public void InvalidGeometryIsRejectedBeforeAnyWork()
    {
        var g = new Conv2dGeometry(1, 8, 5, 5, 6, 3, 3, Groups: 3);
        float[] buffer = new float[1024];
        fixed (float* p = buffer)
        {
            float* q = p;
            var ex = Assert.Throws<ArgumentException>(() => Conv2dKernel.Forward(g, q, q, null, q));
            Assert.Contains("Groups (3) must divide InChannels (8)", ex.Message);
            Assert.Throws<ArgumentException>(() => Conv2dKernel.BackwardData(g, q, q, q));
            Assert.Throws<ArgumentException>(() => Conv2dKernel.BackwardWeight(g, q, q, q, null));
        }
    }

    [Fact]
    public void NullRequiredPointersAreRejected()
    {
        var g = new Conv2dGeometry(1, 1, 3, 3, 1, 1, 1);
        float[] buffer = new float[16];
        fixed (float* p = buffer)
        {
            float* q = p;
            Assert.Throws<ArgumentNullException>(() => Conv2dKernel.Forward(g, null, q, null, q));
            Assert.Throws<ArgumentNullException>(() => Conv2dKernel.BackwardData(g, q, null, q));
            Assert.Throws<ArgumentNullException>(() => Conv2dKernel.BackwardWeight(g, q, q, null, q));
        }
    }

    private static float[] RandomArray(Random rng, int length)
    {
        var a = new float[length];
        for (int i = 0; i < length; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
        return a;
    }

    /// <summary>The expected result of an adding backward: what was in the buffer plus the gradient alone.</summary>
    private static float[] Sum(float[] prefill, float[] gradient) => prefill.Select((p, i) => p + gradient[i]).ToArray();
}
