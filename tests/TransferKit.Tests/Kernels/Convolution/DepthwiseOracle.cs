using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;

namespace TransferKit.Tests.Kernels.Convolution;

/// <summary>A depthwise forward kernel under test: output = activation(depthwise conv + bias + residual).</summary>
internal unsafe delegate void DepthwiseForward(in Conv2dGeometry g, float* input, float* weight, float* bias, float* output,
    ActivationKind activation, float* residual);

/// <summary>
/// The checks every depthwise forward layout goes through: against the naive twin (with the activation and a residual),
/// no store past the output, and the same sums as the phase split to the bit (every layout adds the same taps in the same
/// order; activations are left out there, since their vector and scalar forms differ by an ulp).
/// </summary>
internal static unsafe class DepthwiseOracle
{
    /// <summary>
    /// Three runs of <see cref="Check"/> on <paramref name="g"/>: each with an activation picked by
    /// <paramref name="pick"/>, the second with a residual, the third without a bias.
    /// </summary>
    public static void CheckThreeWays(Conv2dGeometry g, int pick, DepthwiseForward forward, string layout)
    {
        var kinds = Enum.GetValues<ActivationKind>();
        for (int run = 0; run < 3; run++)
            Check(g, kinds[(pick + run) % kinds.Length], withResidual: run == 1, withBias: run != 2, forward, layout);
    }

    /// <summary>Runs the checks on random data seeded by the geometry; <paramref name="layout"/> names the kernel in messages.</summary>
    public static void Check(Conv2dGeometry g, ActivationKind kind, bool withResidual, bool withBias, DepthwiseForward forward, string layout)
    {
        var rng = new Random(g.InHeight * 31 + g.InWidth * 7 + g.KernelHeight + g.InChannels);
        float[] input = RandomArray(rng, g.InputLength), weight = RandomArray(rng, g.WeightLength);
        float[] bias = RandomArray(rng, g.OutChannels), residual = RandomArray(rng, g.OutputLength);
        float[] expected = new float[g.OutputLength], phases = new float[g.OutputLength];
        // Sentinels after the output catch a store past the last plane.
        float[] actual = new float[g.OutputLength + 64];
        Array.Fill(actual, float.NaN, 0, g.OutputLength);
        Array.Fill(actual, 12345f, g.OutputLength, 64);
        string name = $"{g} {kind}{(withResidual ? " + residual" : "")}{(withBias ? "" : " no bias")}";
        fixed (float* x = input, w = weight, b = bias, r = residual, e = expected, p = phases, a = actual)
        {
            float* biasOrNull = withBias ? b : null, residualOrNull = withResidual ? r : null;
            NaiveConv2d.Forward(g, x, w, biasOrNull, e);
            if (withResidual)
                for (int i = 0; i < expected.Length; i++) e[i] += r[i];
            NaiveActivation.Forward(kind, e, e, expected.Length);
            forward(g, x, w, biasOrNull, a, kind, residualOrNull);
            NumericAssert.KernelClose(expected, actual.AsSpan(0, g.OutputLength).ToArray(), name);
            for (int i = g.OutputLength; i < actual.Length; i++) Assert.Equal(12345f, actual[i]);
            forward(g, x, w, biasOrNull, a, ActivationKind.Identity, residualOrNull);
            DepthwiseConv2d.ForwardPhases(g, x, w, biasOrNull, p, ActivationKind.Identity, residualOrNull);
        }
        int k = 0;
        while (k < g.OutputLength && BitConverter.SingleToInt32Bits(phases[k]) == BitConverter.SingleToInt32Bits(actual[k])) k++;
        Assert.True(k == g.OutputLength, k == g.OutputLength ? "" : $"{name}: sum {k} is {actual[k]:R} {layout}, {phases[k]:R} on the phase split");
    }

    private static float[] RandomArray(Random rng, int length)
    {
        var a = new float[length];
        for (int i = 0; i < length; i++) a[i] = (float)(rng.NextDouble() * 4 - 2);
        return a;
    }
}
