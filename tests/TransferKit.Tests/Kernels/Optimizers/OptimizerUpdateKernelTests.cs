using TransferKit.Kernels.Optimizers;

namespace TransferKit.Tests.Kernels.Optimizers;

/// <summary>
/// The vector loops of <see cref="OptimizerUpdateKernel.Adam"/> (AVX-512 or AVX2, whichever runs here, and the tail)
/// against the update written out one element at a time: the same bits for every length from 0 to 70 and a long one,
/// Adam and AdamW, first and later steps.
/// </summary>
public unsafe class OptimizerUpdateKernelTests
{
    [Theory]
    [InlineData(false, 1L)]
    [InlineData(true, 1L)]
    [InlineData(true, 37L)]
    public void AdamGivesTheBitsOfTheElementByElementUpdate(bool decoupled, long step)
    {
        const float lr = 1e-3f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f, weightDecay = 0.01f;
        foreach (int length in Enumerable.Range(0, 71).Append(1003))
        {
            var rng = new Random(length);
            float[] param = Filled(rng, length), grad = Filled(rng, length), m = Filled(rng, length), v = Filled(rng, length).Select(Math.Abs).ToArray();
            float[] expectedParam = (float[])param.Clone(), expectedM = (float[])m.Clone(), expectedV = (float[])v.Clone();
            double bc1 = 1 - Math.Pow(beta1, step), bc2Sqrt = Math.Sqrt(1 - Math.Pow(beta2, step));
            float stepSize = (float)(lr / bc1), invBc2Sqrt = (float)(1 / bc2Sqrt);
            float decay = decoupled ? 1 - lr * weightDecay : 1, l2 = decoupled ? 0 : weightDecay;
            for (int i = 0; i < length; i++)
            {
                float p = expectedParam[i] * decay;
                float g = grad[i] + l2 * p;
                expectedM[i] = beta1 * expectedM[i] + (1 - beta1) * g;
                expectedV[i] = beta2 * expectedV[i] + (1 - beta2) * (g * g);
                expectedParam[i] = p - stepSize * (expectedM[i] / (MathF.Sqrt(expectedV[i]) * invBc2Sqrt + eps));
            }
            fixed (float* pp = param, pg = grad, pm = m, pv = v)
                OptimizerUpdateKernel.Adam(length, pp, pg, pm, pv, step, lr, beta1, beta2, eps, weightDecay, decoupled);
            Assert.True(SameBits(expectedParam, param) && SameBits(expectedM, m) && SameBits(expectedV, v), $"length {length}");
        }
    }

    private static bool SameBits(float[] a, float[] b) =>
        a.Select(BitConverter.SingleToInt32Bits).SequenceEqual(b.Select(BitConverter.SingleToInt32Bits));

    private static float[] Filled(Random rng, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }
}
