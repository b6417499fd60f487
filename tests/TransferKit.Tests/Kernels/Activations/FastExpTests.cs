using System.Runtime.Intrinsics;
using TransferKit.Kernels.Activations;

namespace TransferKit.Tests.Kernels.Activations;

/// <summary>The vector exp of the activations against double-precision exp, over its whole range and beyond.</summary>
public class FastExpTests
{
    [Fact]
    public void IsWithinThreeUlpOfExactExpOverTheRange()
    {
        double worst = 0;
        float worstAt = 0;
        var rng = new Random(5);
        var inputs = Enumerable.Range(0, 200_000).Select(i => -87.3f + 175.3f * i / 200_000f)
            .Concat(Enumerable.Range(0, 20_000).Select(_ => (float)(rng.NextDouble() * 2 - 1)))
            .Concat([0f, -0f, 1e-30f, -1e-30f, 0.34657359f, -0.34657359f, 88f, -87.3f]).ToArray();
        for (int i = 0; i + 16 <= inputs.Length; i += 16)
        {
            var x = Vector512.Create(inputs.AsSpan(i, 16));
            // Both widths: 512-bit as AVX-512 machines run it, 256-bit as the others do.
            var wide = FastExp.Exp(x);
            var lower = FastExp.Exp(x.GetLower());
            var upper = FastExp.Exp(x.GetUpper());
            for (int j = 0; j < 16; j++)
            {
                double exact = Math.Exp(inputs[i + j]);
                double ulp = Math.Max(double.Epsilon, MathF.BitIncrement((float)exact) - (float)exact);
                foreach (float got in new[] { wide[j], j < 8 ? lower[j] : upper[j - 8] })
                {
                    double error = Math.Abs(got - exact) / ulp;
                    if (error > worst) (worst, worstAt) = (error, inputs[i + j]);
                }
            }
        }
        Assert.True(worst <= 3, $"worst error {worst:F2} ulp at x = {worstAt:R}");
    }

    [Fact]
    public void ClampsBeyondTheRangeToFiniteValues()
    {
        var big = FastExp.Exp(Vector512.Create(1000f))[0];
        var small = FastExp.Exp(Vector512.Create(-1000f))[0];
        Assert.True(float.IsFinite(big) && big > 1e38f, $"exp(1000) gave {big}");
        Assert.True(small >= 0f && small < 1e-37f, $"exp(-1000) gave {small}");
        Assert.Equal(1f, FastExp.Exp(Vector256.Create(0f))[0]);
    }
}
