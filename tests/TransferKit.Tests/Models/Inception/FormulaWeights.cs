using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Tests.Models.Inception;

/// <summary>
/// The deterministic parameter and input values of tools/fixtures/models_inception.py (<c>formula_values</c>), bit for
/// bit: FNV-1a of the key seeds a murmur3 finaliser over the element index, the top 24 bits give u in [0, 1), and the
/// value is formed in double and rounded once to float. Lets a fixture test a 24 M-parameter model without storing it.
/// </summary>
internal static class FormulaWeights
{
    /// <summary>Overwrites every parameter and buffer of <paramref name="module"/> with its formula values.</summary>
    public static void Fill(Module module)
    {
        foreach (var (key, tensor) in module.StateDict())
        {
            using var values = Values(key, tensor.Shape);
            tensor.CopyFrom(values);
        }
    }

    /// <summary>The formula tensor for <paramref name="key"/> and <paramref name="shape"/>.</summary>
    public static Tensor Values(string key, Shape shape)
    {
        var t = Tensor.Empty(shape);
        var span = t.Span;
        uint seed = Fnv1a(key);
        int rank = shape.Rank;
        double convBound = rank == 4 ? Math.Sqrt(6.0 / shape.ElementsFrom(1)) : 0;
        double linearBound = rank == 2 ? Math.Sqrt(3.0 / shape[1]) : 0;
        for (int i = 0; i < span.Length; i++)
        {
            double u = Uniform01(seed, (uint)i);
            double v;
            if (key.EndsWith("running_var", StringComparison.Ordinal)) v = 0.5 + u;
            else if (key.EndsWith("running_mean", StringComparison.Ordinal) || key.EndsWith("bias", StringComparison.Ordinal)) v = (2.0 * u - 1.0) * 0.2;
            else if (rank == 1) v = 0.5 + u;
            else if (rank == 4 && key != "input") v = (2.0 * u - 1.0) * convBound;
            else if (rank == 2) v = (2.0 * u - 1.0) * linearBound;
            else v = (2.0 * u - 1.0) * 2.0;
            span[i] = (float)v;
        }
        return t;
    }

    private static uint Fnv1a(string text)
    {
        uint h = 0x811C9DC5;
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(text)) h = unchecked((h ^ b) * 0x01000193);
        return h;
    }

    private static double Uniform01(uint seed, uint index)
    {
        uint h = unchecked(seed + index * 0x9E3779B1);
        h ^= h >> 16;
        h = unchecked(h * 0x85EBCA6B);
        h ^= h >> 13;
        h = unchecked(h * 0xC2B2AE35);
        h ^= h >> 16;
        return (h >> 8) / (double)(1 << 24);
    }
}
