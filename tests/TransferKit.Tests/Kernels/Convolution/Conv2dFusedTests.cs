using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;

namespace TransferKit.Tests.Kernels.Convolution;

/// <summary>
/// The fused convolution (bias, residual add and activation applied per output tile) against the naive twin followed
/// by the naive add and activation, on every geometry of <see cref="Conv2dCases"/> and on a Winograd-sized layer.
/// </summary>
public unsafe class Conv2dFusedTests
{
    private static readonly ActivationKind[] Kinds =
        [ActivationKind.ReLU6, ActivationKind.SiLU, ActivationKind.ReLU, ActivationKind.Hardswish, ActivationKind.Identity, ActivationKind.Sigmoid];

    [Theory]
    [MemberData(nameof(Conv2dCases.Names), MemberType = typeof(Conv2dCases))]
    public void FusedForwardMatchesNaiveConvThenAddThenActivation(string name)
    {
        var (g, hasBias) = Conv2dCases.All[name];
        int index = Conv2dCases.All.Keys.ToList().IndexOf(name);
        CheckFused(g, hasBias, Kinds[index % Kinds.Length], withResidual: index % 2 == 0, name);
    }

    [Theory]
    [InlineData(ActivationKind.ReLU, true)]
    [InlineData(ActivationKind.ReLU6, false)]
    public void FusedForwardOnTheWinogradPathMatchesNaive(ActivationKind kind, bool withResidual)
    {
        // 64 channels, a 14x14 plane and two images (98 tiles): Auto picks Winograd here.
        var g = new Conv2dGeometry(2, 64, 14, 14, 64, 3, 3, PadHeight: 1, PadWidth: 1);
        Assert.True(Conv2dKernel.PrefersWinograd(g));
        CheckFused(g, hasBias: true, kind, withResidual, "winograd");
    }

    [Fact]
    public void TanhAndEveryActivationMatchOnADepthwiseAndAPointwiseLayer()
    {
        foreach (var kind in Enum.GetValues<ActivationKind>())
        {
            CheckFused(new Conv2dGeometry(2, 16, 9, 21, 16, 3, 3, PadHeight: 1, PadWidth: 1, Groups: 16), true, kind, false, $"depthwise {kind}");
            CheckFused(new Conv2dGeometry(2, 24, 12, 12, 40, 1, 1), true, kind, true, $"pointwise {kind}");
        }
    }

    private static void CheckFused(Conv2dGeometry g, bool hasBias, ActivationKind kind, bool withResidual, string name)
    {
        var rng = new Random(11);
        float[] input = RandomArray(rng, g.InputLength), weight = RandomArray(rng, g.WeightLength);
        float[] bias = RandomArray(rng, hasBias ? g.OutChannels : 0), residual = RandomArray(rng, g.OutputLength);
        float[] expected = new float[g.OutputLength], actual = new float[g.OutputLength];
        Array.Fill(actual, float.NaN);
        fixed (float* x = input, w = weight, b = bias, r = residual, e = expected, a = actual)
        {
            float* biasOrNull = hasBias ? b : null;
            NaiveConv2d.Forward(g, x, w, biasOrNull, e);
            if (withResidual)
                for (int i = 0; i < expected.Length; i++) e[i] += r[i];
            NaiveActivation.Forward(kind, e, e, expected.Length);
            Conv2dKernel.ForwardFused(g, x, w, biasOrNull, a, kind, withResidual ? r : null);
        }
        NumericAssert.KernelClose(expected, actual, $"fused {kind}{(withResidual ? " + residual" : "")} {name}");
    }

    private static float[] RandomArray(Random rng, int length)
    {
        var a = new float[length];
        for (int i = 0; i < length; i++) a[i] = (float)(rng.NextDouble() * 4 - 2);
        return a;
    }
}
