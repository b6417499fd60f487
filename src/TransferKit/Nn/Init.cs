using TransferKit.Tensors;

namespace TransferKit.Nn;

/// <summary>Weight initialisers with torchvision's and PyTorch's defaults. All draw from a caller-seeded <see cref="Random"/>.</summary>
public static class Init
{
    /// <summary>
    /// Kaiming normal with fan_out and the ReLU gain, torchvision's conv init: std = sqrt(2 / fan_out),
    /// fan_out = dim0 * (product of dims from 2), as PyTorch computes it (groups not divided out).
    /// </summary>
    public static void KaimingNormalFanOut(Tensor weight, Random random)
    {
        ArgumentNullException.ThrowIfNull(weight);
        int fanOut = weight.Shape[0] * weight.Shape.ElementsFrom(2);
        Normal(weight, 0, Math.Sqrt(2.0 / fanOut), random);
    }

    /// <summary>
    /// PyTorch's default for Linear and Conv weights (kaiming_uniform with a = sqrt(5)), which reduces to
    /// U(-1/sqrt(fan_in), 1/sqrt(fan_in)); fan_in = product of dims from 1.
    /// </summary>
    public static void PyTorchDefaultWeight(Tensor weight, Random random)
    {
        ArgumentNullException.ThrowIfNull(weight);
        double bound = 1.0 / Math.Sqrt(weight.Shape.ElementsFrom(1));
        Uniform(weight, -bound, bound, random);
    }

    /// <summary>PyTorch's default bias: U(-1/sqrt(fan_in), 1/sqrt(fan_in)).</summary>
    public static void PyTorchDefaultBias(Tensor bias, int fanIn, Random random)
    {
        double bound = fanIn > 0 ? 1.0 / Math.Sqrt(fanIn) : 0;
        Uniform(bias, -bound, bound, random);
    }

    /// <summary>Fills with U(low, high).</summary>
    public static void Uniform(Tensor tensor, double low, double high, Random random)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(random);
        var s = tensor.Span;
        for (int i = 0; i < s.Length; i++) s[i] = (float)(low + (high - low) * random.NextDouble());
    }

    /// <summary>Fills with N(mean, std²) by the Box-Muller transform.</summary>
    public static void Normal(Tensor tensor, double mean, double std, Random random)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(random);
        var s = tensor.Span;
        for (int i = 0; i < s.Length; i += 2)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            double r = Math.Sqrt(-2.0 * Math.Log(u1));
            s[i] = (float)(mean + std * r * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < s.Length) s[i + 1] = (float)(mean + std * r * Math.Sin(2 * Math.PI * u2));
        }
    }
}
