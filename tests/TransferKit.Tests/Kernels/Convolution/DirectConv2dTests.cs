using TransferKit.Kernels;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;

namespace TransferKit.Tests.Kernels.Convolution;

/// <summary>
/// The direct convolution against the naive twin followed by the naive add and activation: planes narrower and
/// wider than a 64-position tile, one and several tiles of output channels with a partial last one, one input channel
/// and many, batches that go whole to the threads and batches that split each image's tiles, with and without bias and
/// residual; stride 2 through the phase planes, kernels from 1x7 to 7x7, no padding and uneven padding. On AVX2 the
/// 24-position tile runs the same shapes, and Auto's narrower AVX2 rule is checked apart from the AVX-512 one.
/// </summary>
public unsafe class DirectConv2dTests
{
    public static IEnumerable<object[]> Geometries()
    {
        (int N, int Cin, int H, int W, int Cout, int KH, int KW, int Stride, int PadH, int PadW)[] shapes =
        [
            (1, 1, 1, 1, 1, 3, 3, 1, 1, 1), (1, 3, 5, 4, 2, 3, 3, 1, 1, 1), (2, 4, 7, 7, 5, 3, 3, 1, 1, 1), (3, 7, 9, 13, 11, 3, 3, 1, 1, 1),
            (4, 16, 14, 14, 16, 3, 3, 1, 1, 1), (1, 33, 17, 30, 6, 3, 3, 1, 1, 1), (2, 2, 31, 62, 9, 3, 3, 1, 1, 1),
            (5, 8, 8, 70, 3, 3, 3, 1, 1, 1), (8, 12, 20, 21, 10, 3, 3, 1, 1, 1),
            // Stride 2 (four phase planes), other kernel sizes, no padding and uneven padding, odd and even input sides.
            (2, 3, 23, 22, 8, 7, 7, 2, 3, 3), (1, 5, 16, 17, 6, 3, 3, 2, 1, 1), (3, 4, 15, 15, 7, 3, 3, 2, 0, 0),
            (2, 6, 12, 11, 5, 5, 5, 1, 2, 2), (1, 4, 9, 20, 4, 1, 7, 1, 0, 3), (4, 3, 20, 9, 9, 7, 1, 1, 3, 0),
            (1, 2, 6, 6, 3, 2, 2, 2, 0, 0), (2, 3, 10, 9, 4, 4, 4, 2, 1, 2), (1, 2, 2, 3, 2, 3, 3, 2, 1, 1),
        ];
        int i = 0;
        foreach (var s in shapes)
        {
            yield return [s.N, s.Cin, s.H, s.W, s.Cout, s.KH, s.KW, s.Stride, s.PadH, s.PadW, i % 3 != 0, i % 2 == 0,
                i % 3 == 2 ? ActivationKind.ReLU : ActivationKind.Identity];
            i++;
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void MatchesNaiveConvThenAddThenActivation(int batch, int cin, int height, int width, int cout, int kernelHeight, int kernelWidth,
        int stride, int padHeight, int padWidth, bool hasBias, bool withResidual, ActivationKind kind)
    {
        var g = new Conv2dGeometry(batch, cin, height, width, cout, kernelHeight, kernelWidth, stride, stride, padHeight, padWidth);
        Assert.True(g.OutHeight > 0 && g.OutWidth > 0, g.ToString());
        if (!DirectConv2d.Supports(g)) return;
        var rng = new Random(batch * 100 + cin);
        float[] input = RandomArray(rng, g.InputLength), weight = RandomArray(rng, g.WeightLength);
        float[] bias = RandomArray(rng, cout), residual = RandomArray(rng, g.OutputLength);
        float[] expected = new float[g.OutputLength];
        fixed (float* x = input, w = weight, b = bias, r = residual, e = expected)
        {
            NaiveConv2d.Forward(g, x, w, hasBias ? b : null, e);
            if (withResidual)
                for (int i = 0; i < expected.Length; i++) e[i] += r[i];
            NaiveActivation.Forward(kind, e, e, expected.Length);
        }
        int saved = Parallelism.DegreeOfParallelism;
        try
        {
            foreach (int threads in new[] { 1, 2, 3 })
            {
                Parallelism.DegreeOfParallelism = threads;
                float[] actual = new float[g.OutputLength];
                Array.Fill(actual, float.NaN);
                fixed (float* x = input, w = weight, b = bias, r = residual, a = actual)
                    DirectConv2d.Forward(g, x, w, hasBias ? b : null, a, kind, withResidual ? r : null);
                NumericAssert.KernelClose(expected, actual, $"direct {g} on {threads} threads");
            }
        }
        finally
        {
            Parallelism.DegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void StridesOfOneAndTwoUngroupedUndilatedAreSupported()
    {
        var g = new Conv2dGeometry(2, 8, 16, 16, 8, 3, 3, PadHeight: 1, PadWidth: 1);
        bool available = System.Runtime.Intrinsics.X86.Avx512F.IsSupported && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated
            || System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported;
        Assert.Equal(available, DirectConv2d.Supports(g));
        Assert.Equal(available, DirectConv2d.Supports(g with { StrideHeight = 2, StrideWidth = 2 }));
        Assert.Equal(available, DirectConv2d.Supports(g with { KernelHeight = 7, KernelWidth = 7, PadHeight = 3, PadWidth = 3 }));
        Assert.False(DirectConv2d.Supports(g with { StrideHeight = 3, StrideWidth = 3 }));
        Assert.False(DirectConv2d.Supports(g with { StrideHeight = 2 }));
        Assert.False(DirectConv2d.Supports(g with { KernelHeight = 1, KernelWidth = 1, PadHeight = 0, PadWidth = 0 }));
        Assert.False(DirectConv2d.Supports(g with { PadHeight = 3 }));
        Assert.False(DirectConv2d.Supports(g with { Groups = 2 }));
        Assert.False(DirectConv2d.Supports(g with { DilationHeight = 2, DilationWidth = 2 }));
    }

    [Fact]
    public void AutoTakesVerticalKernelsWithManyChannels_NotHorizontalOnes()
    {
        var vertical = new Conv2dGeometry(16, 192, 17, 17, 192, 7, 1, PadHeight: 3, PadWidth: 0);
        // The AVX-512 rule; AVX2 has its own (AutoOnAvx2TakesLargeKernelsOnFewChannelsAndTinyInputsOnly).
        if (!DirectConv2d.Supports(vertical) || !DirectConv2d.Wide) return;
        using var auto = new ForcedConvAlgorithm(Conv2dForwardAlgorithm.Auto);
        Assert.True(Conv2dKernel.UsesDirect(vertical));
        Assert.True(Conv2dKernel.UsesDirect(vertical with { InChannels = 384, InHeight = 8, InWidth = 8, KernelHeight = 3, PadHeight = 1 }));
        Assert.False(Conv2dKernel.UsesDirect(vertical with { KernelHeight = 1, KernelWidth = 7, PadHeight = 0, PadWidth = 3 }));
        Assert.False(Conv2dKernel.UsesDirect(vertical with { StrideHeight = 2, StrideWidth = 2 }));
        bool before = Conv2dKernel.VerticalKernelsDirect;
        try
        {
            Conv2dKernel.VerticalKernelsDirect = false;
            Assert.False(Conv2dKernel.UsesDirect(vertical));
        }
        finally
        {
            Conv2dKernel.VerticalKernelsDirect = before;
        }
    }

    [Fact]
    public void TheForcedAlgorithmRoutesThroughTheKernel()
    {
        var narrow = new Conv2dGeometry(2, 6, 9, 7, 5, 3, 3, PadHeight: 1, PadWidth: 1);
        if (!DirectConv2d.Supports(narrow)) return;
        using (new ForcedConvAlgorithm(Conv2dForwardAlgorithm.Direct)) Assert.True(Conv2dKernel.UsesDirect(narrow));
        using (new ForcedConvAlgorithm(Conv2dForwardAlgorithm.Im2Col)) Assert.False(Conv2dKernel.UsesDirect(narrow));
        Assert.Equal(Conv2dForwardAlgorithm.Direct, Conv2dKernel.ParseAlgorithm("direct"));
    }

    [Fact]
    public void InBFloat16AutoTakesTheKernelOnWellFilledPlanesOrKeepsFloat32ForFewChannels()
    {
        Conv2dGeometry Layer(int batch, int cin, int side, int cout) => new(batch, cin, side, side, cout, 3, 3, PadHeight: 1, PadWidth: 1);
        var wide = Layer(16, 128, 28, 128);
        var narrow = Layer(16, 32, 28, 64);
        var eightByEight = Layer(16, 448, 8, 384);   // 80 of 128 computed positions are pad columns and tile rounding
        var oneSmallImage = Layer(1, 256, 14, 256);
        if (!DirectConv2d.Supports(wide) || !DirectConv2d.Wide) return;
        using var auto = new ForcedConvAlgorithm(Conv2dForwardAlgorithm.Auto);
        using var scope = TransferKit.Kernels.Gemm.BFloat16Scope.Enter(true);
        if (BFloat16DirectKernel.IsAvailable)
        {
            Assert.True(Conv2dKernel.UsesDirect(wide));
            Assert.True(Conv2dKernel.UsesDirect(narrow));
            Assert.False(Conv2dKernel.UsesDirect(eightByEight, weightsKept: true));
            Assert.False(Conv2dKernel.UsesDirect(oneSmallImage));
            Assert.True(Conv2dKernel.UsesDirect(oneSmallImage, weightsKept: true));
        }
        TransferKit.Kernels.Gemm.BFloat16Gemm.SimulateUnavailable = true;
        try
        {
            Assert.False(Conv2dKernel.UsesDirect(wide));
            Assert.True(Conv2dKernel.UsesDirect(narrow));
        }
        finally
        {
            TransferKit.Kernels.Gemm.BFloat16Gemm.SimulateUnavailable = false;
        }
    }

    [Fact]
    public void AutoTakesTheDirectKernelOnLargePlanesNarrowOutputsAndFewInputs()
    {
        var previous = Conv2dKernel.ForwardAlgorithm;
        try
        {
            Conv2dKernel.ForwardAlgorithm = Conv2dForwardAlgorithm.Auto;
            Conv2dGeometry Layer(int batch, int cin, int side, int cout) => new(batch, cin, side, side, cout, 3, 3, PadHeight: 1, PadWidth: 1);
            bool available = DirectConv2d.Supports(Layer(1, 1, 1, 1)) && DirectConv2d.Wide;
            Assert.Equal(available, Conv2dKernel.UsesDirect(Layer(16, 64, 56, 64)));    // over Winograd from 28 up
            Assert.Equal(available, Conv2dKernel.UsesDirect(Layer(1, 64, 35, 96)));     // over im2col
            Assert.Equal(available, Conv2dKernel.UsesDirect(Layer(16, 128, 7, 32)));    // few output channels on a small plane
            Assert.False(Conv2dKernel.UsesDirect(Layer(16, 256, 14, 256)));             // Winograd below 28
            Assert.False(Conv2dKernel.UsesDirect(Layer(16, 512, 7, 512)));              // im2col: many channels, small plane
            var stem = new Conv2dGeometry(16, 3, 224, 224, 64, 7, 7, 2, 2, 3, 3);
            Assert.Equal(DirectConv2d.Supports(stem), Conv2dKernel.UsesDirect(stem));     // few input channels, any kernel (AVX2 too)
            Assert.False(Conv2dKernel.UsesDirect(Layer(16, 256, 28, 256) with { StrideHeight = 2, StrideWidth = 2 }));
            Conv2dKernel.DirectInAuto = false;
            Assert.False(Conv2dKernel.UsesDirect(Layer(16, 64, 56, 64)));
        }
        finally
        {
            Conv2dKernel.DirectInAuto = true;
            Conv2dKernel.ForwardAlgorithm = previous;
        }
    }

    [Fact]
    public void AutoOnAvx2TakesLargeKernelsOnFewChannelsAndTinyInputsOnly()
    {
        var stem = new Conv2dGeometry(16, 3, 224, 224, 64, 7, 7, 2, 2, 3, 3);
        if (!DirectConv2d.Supports(stem) || DirectConv2d.Wide) return;
        using var auto = new ForcedConvAlgorithm(Conv2dForwardAlgorithm.Auto);
        Conv2dGeometry Layer(int batch, int cin, int side, int cout) => new(batch, cin, side, side, cout, 3, 3, PadHeight: 1, PadWidth: 1);
        Assert.True(Conv2dKernel.UsesDirect(stem));
        Assert.True(Conv2dKernel.UsesDirect(new Conv2dGeometry(16, 48, 35, 35, 64, 5, 5, PadHeight: 2, PadWidth: 2)));   // Inception's 5x5
        Assert.True(Conv2dKernel.UsesDirect(Layer(16, 3, 128, 32)));                                                    // the baseline CNN's first layer
        Assert.False(Conv2dKernel.UsesDirect(Layer(16, 64, 56, 64)), "3x3 on 64 channels: Winograd");
        Assert.False(Conv2dKernel.UsesDirect(Layer(16, 128, 7, 32)), "DenseNet's 128->32: Winograd");
        Assert.False(Conv2dKernel.UsesDirect(stem with { KernelHeight = 3, KernelWidth = 3, PadHeight = 1, PadWidth = 1 }), "stride-2 3x3 stem");
        Assert.False(Conv2dKernel.UsesDirect(new Conv2dGeometry(16, 96, 35, 35, 64, 5, 5, PadHeight: 2, PadWidth: 2)), "5x5 on 96 channels");
        Assert.False(Conv2dKernel.UsesDirect(new Conv2dGeometry(16, 128, 17, 17, 128, 1, 7, PadHeight: 0, PadWidth: 3)), "1x7");
        Assert.True(Conv2dKernel.FusesMaxPool(stem, weightsKept: true), "the stem's max pool runs inside it");
    }

    private static float[] RandomArray(Random rng, int length)
    {
        var a = new float[length];
        for (int i = 0; i < length; i++) a[i] = (float)(rng.NextDouble() * 4 - 2);
        return a;
    }
}
