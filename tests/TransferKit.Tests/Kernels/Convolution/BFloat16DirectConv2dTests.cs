using TransferKit.Kernels;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Tests.Kernels.Convolution;

/// <summary>
/// The direct convolution in bfloat16 (<see cref="BFloat16DirectKernel"/> inside a bfloat16 scope) against its oracle:
/// the naive convolution of the input and weights rounded to bfloat16, then the naive add and activation. Products of two
/// bfloat16 values are exact in fp32, so only the order of the fp32 sums differs. The shapes are the float32 kernel's:
/// odd channel counts (a half-empty last pair), stride 2, kernels from 1x7 to 7x7, several tiles and thread splits. Without
/// AVX512-BF16 the scope must leave the float32 kernel in place.
/// </summary>
public unsafe class BFloat16DirectConv2dTests
{
    [Theory]
    [MemberData(nameof(DirectConv2dTests.Geometries), MemberType = typeof(DirectConv2dTests))]
    public void MatchesTheNaiveConvolutionOfRoundedOperands(int batch, int cin, int height, int width, int cout, int kernelHeight, int kernelWidth,
        int stride, int padHeight, int padWidth, bool hasBias, bool withResidual, ActivationKind kind)
    {
        var g = new Conv2dGeometry(batch, cin, height, width, cout, kernelHeight, kernelWidth, stride, stride, padHeight, padWidth);
        if (!DirectConv2d.Supports(g) || !BFloat16DirectKernel.IsAvailable) return;
        var rng = new Random(batch * 100 + cin + 7);
        float[] input = RandomArray(rng, g.InputLength), weight = RandomArray(rng, g.WeightLength);
        float[] bias = RandomArray(rng, cout), residual = RandomArray(rng, g.OutputLength);
        float[] expected = new float[g.OutputLength];
        float[] roundedInput = input.Select(RoundToBFloat16).ToArray(), roundedWeight = weight.Select(RoundToBFloat16).ToArray();
        fixed (float* x = roundedInput, w = roundedWeight, b = bias, r = residual, e = expected)
        {
            NaiveConv2d.Forward(g, x, w, hasBias ? b : null, e);
            if (withResidual)
                for (int i = 0; i < expected.Length; i++) e[i] += r[i];
            NaiveActivation.Forward(kind, e, e, expected.Length);
        }
        foreach (int threads in new[] { 1, 2, 3 })
        {
            float[] actual = Run(g, input, weight, hasBias ? bias : null, withResidual ? residual : null, kind, threads, bfloat16: true);
            NumericAssert.KernelClose(expected, actual, $"bfloat16 direct {g} on {threads} threads");
        }
    }

    [Fact]
    public void DiffersFromFloat32OnlyByTheRoundingOfItsInputs()
    {
        var g = new Conv2dGeometry(2, 64, 30, 30, 64, 3, 3, PadHeight: 1, PadWidth: 1);
        if (!DirectConv2d.Supports(g) || !BFloat16DirectKernel.IsAvailable) return;
        var rng = new Random(11);
        float[] input = RandomArray(rng, g.InputLength), weight = RandomArray(rng, g.WeightLength);
        float[] fp32 = Run(g, input, weight, null, null, ActivationKind.Identity, 2, bfloat16: false);
        float[] bf16 = Run(g, input, weight, null, null, ActivationKind.Identity, 2, bfloat16: true);
        BFloat16Assert.DiffersOnlyByRounding(fp32, bf16);
    }

    [Fact]
    public void WithoutTheKernelTheScopeKeepsFloat32()
    {
        var g = new Conv2dGeometry(2, 5, 12, 12, 7, 3, 3, PadHeight: 1, PadWidth: 1);
        if (!DirectConv2d.Supports(g)) return;
        var rng = new Random(3);
        float[] input = RandomArray(rng, g.InputLength), weight = RandomArray(rng, g.WeightLength);
        float[] fp32 = Run(g, input, weight, null, null, ActivationKind.ReLU, 2, bfloat16: false);
        BFloat16Gemm.SimulateUnavailable = true;
        try
        {
            Assert.False(BFloat16DirectKernel.IsAvailable);
            Assert.Equal(fp32, Run(g, input, weight, null, null, ActivationKind.ReLU, 2, bfloat16: true));
        }
        finally
        {
            BFloat16Gemm.SimulateUnavailable = false;
        }
        if (BFloat16DirectKernel.IsAvailable) Assert.NotEqual(fp32, Run(g, input, weight, null, null, ActivationKind.ReLU, 2, bfloat16: true));
    }

    [Fact]
    public void RunsWhereverTheBFloat16GemmRuns() => Assert.Equal(BFloat16Gemm.IsAvailable, BFloat16DirectKernel.IsAvailable);

    /// <summary>The embedded machine code was generated from the C source as it is now (else run tools/bfloat16-kernel/generate.sh).</summary>
    [Fact]
    public void TheEmbeddedKernelIsTheCurrentSourceCompiled() =>
        BFloat16Assert.EmbeddedCodeIsTheSourceCompiled("bfloat16_direct_kernel.c", Path.Combine("Kernels", "Convolution", "BFloat16DirectKernelCode.g.cs"),
            BFloat16DirectKernelCode.X64SystemV, BFloat16DirectKernelCode.Sha256);

    private static float[] Run(in Conv2dGeometry g, float[] input, float[] weight, float[]? bias, float[]? residual, ActivationKind kind,
        int threads, bool bfloat16)
    {
        float[] output = new float[g.OutputLength];
        Array.Fill(output, float.NaN);
        var geometry = g;
        ThreadCount.With(threads, () =>
        {
            using var scope = BFloat16Scope.Enter(bfloat16);
            fixed (float* x = input, w = weight, b = bias, r = residual, y = output)
                DirectConv2d.Forward(geometry, x, w, b, y, kind, r);
        });
        return output;
    }

    private static float RoundToBFloat16(float value) =>
        BitConverter.UInt32BitsToSingle((uint)BFloat16Conversion.Round(BitConverter.SingleToUInt32Bits(value)) << 16);

    private static float[] RandomArray(Random rng, int length)
    {
        var a = new float[length];
        for (int i = 0; i < length; i++) a[i] = (float)(rng.NextDouble() * 4 - 2);
        return a;
    }
}
