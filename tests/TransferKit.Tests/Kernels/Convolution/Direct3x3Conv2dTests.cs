using TransferKit.Kernels;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;

namespace TransferKit.Tests.Kernels.Convolution;

/// <summary>
/// The direct 3x3 convolution against the naive twin followed by the naive add and activation: planes narrower and
/// wider than a 64-position tile, one and several tiles of output channels with a partial last one, one input channel
/// and many, batches that go whole to the threads and batches that split each image's tiles, with and without bias and
/// residual. On a CPU without AVX-512 the path is off and the selection must say so.
/// </summary>
public unsafe class Direct3x3Conv2dTests
{
    public static IEnumerable<object[]> Geometries()
    {
        (int N, int Cin, int H, int W, int Cout)[] shapes =
        [
            (1, 1, 1, 1, 1), (1, 3, 5, 4, 2), (2, 4, 7, 7, 5), (3, 7, 9, 13, 11), (4, 16, 14, 14, 16),
            (1, 33, 17, 30, 6), (2, 2, 31, 62, 9), (5, 8, 8, 70, 3), (8, 12, 20, 21, 10),
        ];
        int i = 0;
        foreach (var s in shapes)
        {
            yield return [s.N, s.Cin, s.H, s.W, s.Cout, i % 3 != 0, i % 2 == 0, (ActivationKind)(i % 3 == 2 ? ActivationKind.ReLU : ActivationKind.Identity)];
            i++;
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void MatchesNaiveConvThenAddThenActivation(int batch, int cin, int height, int width, int cout, bool hasBias, bool withResidual, ActivationKind kind)
    {
        var g = new Conv2dGeometry(batch, cin, height, width, cout, 3, 3, PadHeight: 1, PadWidth: 1);
        if (!Direct3x3Conv2d.Supports(g)) return;
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
                    Direct3x3Conv2d.Forward(g, x, w, hasBias ? b : null, a, kind, withResidual ? r : null);
                NumericAssert.KernelClose(expected, actual, $"direct 3x3 {g} on {threads} threads");
            }
        }
        finally
        {
            Parallelism.DegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void OnlyStrideOnePaddingOneUngroupedThreeByThreeIsSupported()
    {
        var g = new Conv2dGeometry(2, 8, 16, 16, 8, 3, 3, PadHeight: 1, PadWidth: 1);
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx512F.IsSupported && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated, Direct3x3Conv2d.Supports(g));
        Assert.False(Direct3x3Conv2d.Supports(g with { StrideHeight = 2, StrideWidth = 2 }));
        Assert.False(Direct3x3Conv2d.Supports(g with { PadHeight = 0, PadWidth = 0 }));
        Assert.False(Direct3x3Conv2d.Supports(g with { KernelHeight = 5, KernelWidth = 5, PadHeight = 2, PadWidth = 2 }));
        Assert.False(Direct3x3Conv2d.Supports(g with { Groups = 2 }));
        Assert.False(Direct3x3Conv2d.Supports(g with { DilationHeight = 2, DilationWidth = 2 }));
    }

    [Fact]
    public void TheForcedAlgorithmRoutesThroughTheKernelAndBFloat16StaysOnGemm()
    {
        var g = new Conv2dGeometry(2, 6, 9, 7, 5, 3, 3, PadHeight: 1, PadWidth: 1);
        if (!Direct3x3Conv2d.Supports(g)) return;
        var previous = Conv2dKernel.ForwardAlgorithm;
        try
        {
            Conv2dKernel.ForwardAlgorithm = Conv2dForwardAlgorithm.Direct;
            Assert.True(Conv2dKernel.UsesDirect3x3(g));
            using (TransferKit.Kernels.Gemm.BFloat16Scope.Enter(true)) Assert.False(Conv2dKernel.UsesDirect3x3(g));
            Conv2dKernel.ForwardAlgorithm = Conv2dForwardAlgorithm.Im2Col;
            Assert.False(Conv2dKernel.UsesDirect3x3(g));
        }
        finally
        {
            Conv2dKernel.ForwardAlgorithm = previous;
        }
        Assert.Equal(Conv2dForwardAlgorithm.Direct, Conv2dKernel.ParseAlgorithm("direct"));
    }

    [Fact]
    public void AutoTakesTheDirectKernelOnLargePlanesAndOnNarrowOutputs()
    {
        var previous = Conv2dKernel.ForwardAlgorithm;
        try
        {
            Conv2dKernel.ForwardAlgorithm = Conv2dForwardAlgorithm.Auto;
            Conv2dGeometry Layer(int batch, int cin, int side, int cout) => new(batch, cin, side, side, cout, 3, 3, PadHeight: 1, PadWidth: 1);
            bool available = Direct3x3Conv2d.Supports(Layer(1, 1, 1, 1));
            Assert.Equal(available, Conv2dKernel.UsesDirect3x3(Layer(16, 64, 56, 64)));    // over Winograd from 28 up
            Assert.Equal(available, Conv2dKernel.UsesDirect3x3(Layer(1, 64, 35, 96)));     // over im2col
            Assert.Equal(available, Conv2dKernel.UsesDirect3x3(Layer(16, 128, 7, 32)));    // few output channels on a small plane
            Assert.False(Conv2dKernel.UsesDirect3x3(Layer(16, 256, 14, 256)));             // Winograd below 28
            Assert.False(Conv2dKernel.UsesDirect3x3(Layer(16, 512, 7, 512)));              // im2col: many channels, small plane
            Conv2dKernel.DirectInAuto = false;
            Assert.False(Conv2dKernel.UsesDirect3x3(Layer(16, 64, 56, 64)));
        }
        finally
        {
            Conv2dKernel.DirectInAuto = true;
            Conv2dKernel.ForwardAlgorithm = previous;
        }
    }

    private static float[] RandomArray(Random rng, int length)
    {
        var a = new float[length];
        for (int i = 0; i < length; i++) a[i] = (float)(rng.NextDouble() * 4 - 2);
        return a;
    }
}
