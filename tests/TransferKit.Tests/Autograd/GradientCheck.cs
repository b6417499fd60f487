using TransferKit.Autograd;
using TransferKit.Tensors;
using Xunit.Sdk;

namespace TransferKit.Tests.Autograd;

/// <summary>
/// Compares the tape's gradients of L = sum(f(inputs) * r), r random, with central finite differences on
/// sampled elements of every input that requires a gradient.
/// </summary>
internal static class GradientCheck
{
    public static void Check(string what, Func<Tensor[], Tensor> f, params Tensor[] inputs) => Check(what, f, inputs, maxElements: 24);

    public static void Check(string what, Func<Tensor[], Tensor> f, Tensor[] inputs, int maxElements, int seed = 1)
    {
        var random = new Random(seed);
        float[] r;
        var analytic = new float[inputs.Length][];
        using (var scope = TensorScope.Begin())
        using (var tape = Tape.Begin())
        {
            foreach (var t in inputs.Where(t => t.RequiresGrad))
            {
                t.Grad?.Dispose();
                t.Grad = null;
            }
            var output = f(inputs);
            r = new float[output.Length];
            for (int i = 0; i < r.Length; i++) r[i] = (float)(random.NextDouble() * 2 - 1);
            using var seedGrad = Tensor.FromSpan(r, output.Shape);
            tape.Backward(output, seedGrad);
            for (int i = 0; i < inputs.Length; i++)
            {
                if (!inputs[i].RequiresGrad) continue;
                analytic[i] = inputs[i].Grad?.ToArray() ?? new float[inputs[i].Length];
            }
        }

        float h = Tolerances.GradientCheckStep;
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!inputs[i].RequiresGrad) continue;
            var x = inputs[i].Span;
            var picks = Enumerable.Range(0, x.Length).OrderBy(_ => random.Next()).Take(maxElements).ToArray();
            foreach (int j in picks)
            {
                float saved = x[j];
                x[j] = saved + h;
                double plus = Loss(f, inputs, r);
                x[j] = saved - h;
                double minus = Loss(f, inputs, r);
                x[j] = saved;
                double numeric = (plus - minus) / (2 * h);
                double a = analytic[i][j];
                double limit = Tolerances.GradientCheckAbsolute + Tolerances.GradientCheckRelative * Math.Max(Math.Abs(a), Math.Abs(numeric));
                if (Math.Abs(a - numeric) > limit)
                    throw new XunitException($"{what}: d/d input{i}[{j}] analytic {a:G6} vs numeric {numeric:G6} (|diff| {Math.Abs(a - numeric):G3} > {limit:G3}).");
            }
        }
    }

    private static double Loss(Func<Tensor[], Tensor> f, Tensor[] inputs, float[] r)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var y = f(inputs).ReadOnlySpan;
        double sum = 0;
        for (int i = 0; i < y.Length; i++) sum += (double)y[i] * r[i];
        return sum;
    }

    /// <summary>A leaf tensor with values uniform in [lo, hi), requiring a gradient.</summary>
    public static Tensor Leaf(Random random, float lo, float hi, params int[] dims)
    {
        var t = Tensor.Empty(dims).Persist();
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = lo + (hi - lo) * (float)random.NextDouble();
        t.RequiresGrad = true;
        return t;
    }

    /// <summary>A leaf whose values are a shuffled ladder with spacing 0.05 (> 2 steps), so max-style ops have no near-ties.</summary>
    public static Tensor DistinctLeaf(Random random, params int[] dims)
    {
        var t = Tensor.Empty(dims).Persist();
        var s = t.Span;
        var order = Enumerable.Range(0, s.Length).OrderBy(_ => random.Next()).ToArray();
        for (int i = 0; i < s.Length; i++) s[i] = (order[i] - s.Length / 2) * 0.05f;
        t.RequiresGrad = true;
        return t;
    }

    /// <summary>A leaf with |x| in [0.05, 1.5) and random sign: far from a kink at 0.</summary>
    public static Tensor AwayFromZeroLeaf(Random random, params int[] dims)
    {
        var t = Leaf(random, 0.05f, 1.5f, dims);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) if (random.Next(2) == 0) s[i] = -s[i];
        return t;
    }
}
