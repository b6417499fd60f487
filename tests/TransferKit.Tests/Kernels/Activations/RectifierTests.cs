using System.Runtime.Intrinsics;
using TransferKit.Kernels.Activations;

namespace TransferKit.Tests.Kernels.Activations;

/// <summary>The two-instruction vector max(x, 0) against <see cref="MathF.Max"/>, bit for bit, at the values where max is subtle.</summary>
public class RectifierTests
{
    [Fact]
    public void GivesTheBitsOfMathFMaxIncludingSignedZerosAndNaN()
    {
        float[] inputs =
        [
            0f, -0f, 1f, -1f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue,
            float.PositiveInfinity, float.NegativeInfinity, float.NaN, -float.NaN, 1e-30f, -1e-30f, 6f, 3.5f,
        ];
        var x = Vector512.Create(inputs);
        var wide = Rectifier.Max0(x);
        var lower = Rectifier.Max0(x.GetLower());
        var upper = Rectifier.Max0(x.GetUpper());
        for (int j = 0; j < 16; j++)
        {
            float expected = MathF.Max(inputs[j], 0f);
            foreach (float got in new[] { wide[j], j < 8 ? lower[j] : upper[j - 8] })
            {
                if (float.IsNaN(expected)) Assert.True(float.IsNaN(got), $"max({inputs[j]}, 0) = {got}");
                else Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(got));
            }
        }
    }
}
