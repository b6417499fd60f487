using TransferKit.Kernels;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;
using TransferKit.Kernels.Pooling;

namespace TransferKit.Tests.Kernels.Convolution;

/// <summary>
/// A convolution max-pooled tile by tile inside the direct kernel (<see cref="Conv2dKernel.ForwardFusedMaxPool"/>)
/// against the convolution followed by the pooling kernel: the same bits, for whole images per thread and images split
/// across the threads, padded and ceil-mode pools, channel counts off the five-channel tile, kept and fresh weights, in
/// float32 and in bfloat16.
/// </summary>
public unsafe class ConvolutionMaxPoolTests
{
    // (batch, in channels, size, out channels, kernel, stride, pad, pool window, pool stride, pool pad, ceil mode)
    public static IEnumerable<object[]> Cases =>
    [
        [4, 3, 40, 11, 7, 2, 3, 3, 2, 1, false],
        [1, 3, 33, 7, 7, 2, 3, 3, 2, 1, false],
        [3, 5, 19, 9, 3, 1, 1, 2, 2, 0, false],
        [2, 4, 21, 5, 3, 1, 1, 3, 2, 0, true],
        [2, 6, 18, 13, 5, 2, 2, 2, 1, 0, false],
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void PoolingInsideGivesTheBitsOfPoolingAfter(int batch, int cin, int size, int cout, int kernel, int stride, int pad,
        int window, int poolStride, int poolPad, bool ceil)
    {
        var g = new Conv2dGeometry(batch, cin, size, size, cout, kernel, kernel, stride, stride, pad, pad);
        var p = new Pool2dGeometry(batch, cout, g.OutHeight, g.OutWidth, window, window, poolStride, poolStride, poolPad, poolPad, ceil);
        if (!DirectConv2dAvailable(g)) return;
        var rng = new Random(batch * 7 + cin + cout);
        float[] input = Random(rng, g.InputLength), weight = Random(rng, g.WeightLength), bias = Random(rng, cout);
        foreach (var activation in new[] { ActivationKind.ReLU, ActivationKind.Identity })
        {
            foreach (int threads in new[] { 1, 2 })
            {
                foreach ((bool keep, bool bfloat16) in new[] { (false, false), (true, false), (false, true), (true, true) })
                {
                    float[] after = new float[g.OutputLength], expected = new float[p.Planes * p.OutHeight * p.OutWidth], actual = new float[expected.Length];
                    Array.Fill(actual, float.NaN);
                    ThreadCount.With(threads, () =>
                    {
                        using var kept = keep ? new PreparedConvWeights() : null;
                        using var precision = TransferKit.Kernels.Gemm.BFloat16Scope.Enter(bfloat16);
                        // Auto leaves small bfloat16 convolutions to the products, and on AVX2 all but the stems and 5x5
                        // layers to the others; these must go through the kernel.
                        using var forced = new ForcedConvAlgorithm(bfloat16 || !DirectConv2d.Wide ? Conv2dForwardAlgorithm.Direct : Conv2dKernel.ForwardAlgorithm);
                        fixed (float* x = input, w = weight, b = bias, y = after, e = expected, a = actual)
                        {
                            using var scope = kept?.Use(w);
                            Assert.True(Conv2dKernel.FusesMaxPool(g, keep), $"{g} should take the direct kernel");
                            Conv2dKernel.ForwardFused(g, x, w, b, y, activation, null);
                            MaxPool2dKernel.ForwardValues(p, y, e);
                            Conv2dKernel.ForwardFusedMaxPool(g, p, x, w, b, a, activation);
                        }
                    });
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"{g} pooled by {p}, {activation}, {threads} threads, weights kept {keep}, bfloat16 {bfloat16}");
                }
            }
        }
    }

    [Fact]
    public void APoolThatDoesNotReadTheConvolutionsOutputIsRefused()
    {
        var g = new Conv2dGeometry(2, 3, 16, 16, 6, 3, 3, 1, 1, 1, 1);
        if (!DirectConv2dAvailable(g)) return;
        var wrong = new Pool2dGeometry(2, 6, 15, 16, 2, 2, 2, 2);
        float[] buffer = new float[g.InputLength + g.WeightLength + g.OutputLength];
        fixed (float* q = buffer)
        {
            float* pointer = q;
            var error = Assert.Throws<ArgumentException>(() => Conv2dKernel.ForwardFusedMaxPool(g, wrong, pointer, pointer, null, pointer, ActivationKind.ReLU));
            Assert.Contains("not the convolution's output", error.Message);
        }
    }

    [Fact]
    public void AConvolutionOffTheDirectKernelIsRefused()
    {
        var g = new Conv2dGeometry(2, 8, 10, 10, 8, 1, 1);
        var p = new Pool2dGeometry(2, 8, 10, 10, 2, 2, 2, 2);
        Assert.False(Conv2dKernel.FusesMaxPool(g, weightsKept: false));
        float[] buffer = new float[g.InputLength + g.WeightLength + g.OutputLength];
        fixed (float* q = buffer)
        {
            float* pointer = q;
            Assert.Throws<InvalidOperationException>(() => Conv2dKernel.ForwardFusedMaxPool(g, p, pointer, pointer, null, pointer, ActivationKind.ReLU));
        }
    }

    private static bool DirectConv2dAvailable(in Conv2dGeometry g) => DirectConv2d.Supports(g);

    private static float[] Random(Random rng, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }
}
