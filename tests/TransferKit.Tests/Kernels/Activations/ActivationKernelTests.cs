using TransferKit.Kernels.Activations;
using TransferKit.Tests.Kernels.Elementwise;

namespace TransferKit.Tests.Kernels.Activations;

public unsafe class ActivationKernelTests
{
    // Kinks and corners: fast and naive must agree on them too, since both follow PyTorch's conventions.
    private static readonly float[] s_kinks = [0f, -0f, -3f, 3f, 6f, -6f, 20f, -20f, 100f, -100f];

    public static TheoryData<ActivationKind, int> KindsAndWidths()
    {
        var data = new TheoryData<ActivationKind, int>();
        foreach (var kind in Enum.GetValues<ActivationKind>())
            foreach (int bits in PointwiseTestData.VectorWidths) data.Add(kind, bits);
        return data;
    }

    public static TheoryData<ActivationKind> Kinds()
    {
        var data = new TheoryData<ActivationKind>();
        foreach (var kind in Enum.GetValues<ActivationKind>()) data.Add(kind);
        return data;
    }

    private static float[] Inputs(Random rng, int n)
    {
        var x = PointwiseTestData.Uniform(rng, n, -8f, 8f);
        for (int i = 0; i < n; i += 7) x[i] = s_kinks[i / 7 % s_kinks.Length];
        return x;
    }

    [Theory]
    [MemberData(nameof(KindsAndWidths))]
    public void ForwardAndBackwardMatchNaiveForEveryLengthUpTo256(ActivationKind kind, int bits)
    {
        var rng = new Random(17);
        PointwiseTestData.WithVectorWidth(bits, () =>
        {
            foreach (int n in PointwiseTestData.SmallLengths) CompareWithNaive(kind, Inputs(rng, n), rng);
        });
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ForwardAndBackwardMatchNaiveOnLargeParallelLength(ActivationKind kind) =>
        CompareWithNaive(kind, Inputs(new Random(5), PointwiseTestData.LargeLength), new Random(6));

    private static void CompareWithNaive(ActivationKind kind, float[] x, Random rng)
    {
        int n = x.Length;
        var y = new float[n];
        var yNaive = new float[n];
        var gradY = PointwiseTestData.Uniform(rng, n, -1f, 1f);
        // Gradients start non-zero so that overwriting instead of adding fails.
        var gradX = PointwiseTestData.Uniform(rng, n, -1f, 1f);
        var gradXNaive = (float[])gradX.Clone();
        var inPlace = (float[])x.Clone();
        fixed (float* px = x, py = y, pyn = yNaive, pg = gradY, pgx = gradX, pgxn = gradXNaive, pip = inPlace)
        {
            ActivationKernel.Forward(kind, px, py, n);
            NaiveActivation.Forward(kind, px, pyn, n);
            ActivationKernel.Forward(kind, pip, pip, n);
            ActivationKernel.Backward(kind, px, py, pg, pgx, n);
            NaiveActivation.Backward(kind, px, pyn, pg, pgxn, n);
        }
        NumericAssert.KernelClose(yNaive, y, $"{kind} forward, n={n}");
        Assert.Equal(y, inPlace);
        NumericAssert.KernelClose(gradXNaive, gradX, $"{kind} backward, n={n}");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void BackwardMatchesCentralDifferencesOfTheForward(ActivationKind kind)
    {
        const double step = 1e-6;
        var rng = new Random(23);
        var x = new float[400];
        for (int i = 0; i < x.Length; i++)
        {
            // Stay off the kinks (0, +-3, 6), where a one-sided slope is a convention, not a derivative.
            do x[i] = (float)(rng.NextDouble() * 16 - 8);
            while (new[] { 0.0, -3.0, 3.0, 6.0 }.Any(k => Math.Abs(x[i] - k) < 1e-3));
        }
        var numeric = new float[x.Length];
        var analytic = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            numeric[i] = (float)((NaiveActivation.Value(kind, x[i] + step) - NaiveActivation.Value(kind, x[i] - step)) / (2 * step));
            analytic[i] = (float)NaiveActivation.Derivative(kind, x[i]);
        }
        NumericAssert.Close(numeric, analytic, (float)Tolerances.DoubleFiniteDifferenceRelative, 0f, $"{kind} naive derivative");

        var y = new float[x.Length];
        var ones = Enumerable.Repeat(1f, x.Length).ToArray();
        var fast = new float[x.Length];
        fixed (float* px = x, py = y, pg = ones, pf = fast)
        {
            ActivationKernel.Forward(kind, px, py, x.Length);
            ActivationKernel.Backward(kind, px, py, pg, pf, x.Length);
        }
        NumericAssert.KernelClose(numeric, fast, $"{kind} kernel derivative");
    }

    [Theory]
    [MemberData(nameof(PointwiseTestData.VectorWidths), MemberType = typeof(PointwiseTestData))]
    public void GradientsAtTheKinksFollowPyTorch(int bits)
    {
        // PyTorch: relu' = 0 at 0 (threshold_backward on the output); relu6' = 0 at 0 and 6 (hardtanh_backward);
        // hardswish' = 0 at x <= -3, x / 3 + 1/2 inside, 1 at x >= 3.
        float[] x = [0f, 6f, -3f, 3f, -3.5f, 3.5f, 0f, 1.5f, -1.5f, 5.999f, 0.001f, -2.999f, 2.999f, -4f, 4f, 7f, 1f];
        float[] relu = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1];
        float[] relu6 = [0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1];
        float[] hardswish = x.Select(v => v <= -3 ? 0f : v < 3 ? v / 3f + 0.5f : 1f).ToArray();
        Assert.Equal(0f, hardswish[2]);
        Assert.Equal(1f, hardswish[3]);
        PointwiseTestData.WithVectorWidth(bits, () =>
        {
            NumericAssert.KernelClose(relu, Slopes(ActivationKind.ReLU, x), "ReLU at kinks");
            NumericAssert.KernelClose(relu6, Slopes(ActivationKind.ReLU6, x), "ReLU6 at kinks");
            NumericAssert.KernelClose(hardswish, Slopes(ActivationKind.Hardswish, x), "Hardswish at kinks");
        });
    }

    [Fact]
    public void HardswishAndSiluHitTheirLimitsWithoutNaN()
    {
        float[] x = [-100f, -3f, 3f, 100f, -1000f, 1000f];
        var hs = new float[x.Length];
        var silu = new float[x.Length];
        fixed (float* px = x, ph = hs, ps = silu)
        {
            ActivationKernel.Forward(ActivationKind.Hardswish, px, ph, x.Length);
            ActivationKernel.Forward(ActivationKind.SiLU, px, ps, x.Length);
        }
        Assert.Equal([0f, 0f, 3f, 100f, 0f, 1000f], hs);
        Assert.Equal(0f, silu[0], 1e-30f);
        Assert.Equal(100f, silu[3]);
        Assert.Equal(1000f, silu[5]);
        Assert.All(silu, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void UnknownKindAndNegativeLengthThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ActivationKernel.Forward((ActivationKind)99, null, null, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ActivationKernel.Backward(ActivationKind.ReLU, null, null, null, null, -1));
    }

    private static float[] Slopes(ActivationKind kind, float[] x)
    {
        var y = new float[x.Length];
        var ones = Enumerable.Repeat(1f, x.Length).ToArray();
        var g = new float[x.Length];
        fixed (float* px = x, py = y, po = ones, pg = g)
        {
            ActivationKernel.Forward(kind, px, py, x.Length);
            ActivationKernel.Backward(kind, px, py, po, pg, x.Length);
        }
        return g;
    }
}
