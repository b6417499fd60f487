using System.Diagnostics;
using System.Globalization;
using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;
using TransferKit.Tensors;

namespace TransferKit.Benchmarks;

/// <summary>
/// One convolution of a timer's list: batch N, Cin -&gt; Cout at H x H, a K x K kernel (K x KW where KW is given) with
/// stride S and groups G, padded by half the kernel.
/// </summary>
internal readonly record struct ConvShape(string Name, int N, int Cin, int Cout, int H, int K, int S, int G = 1, int KW = 0)
{
    /// <summary>The kernel's width: KW, or K where KW is 0.</summary>
    public int KernelWidth => KW == 0 ? K : KW;
}

/// <summary>
/// Convolutions (fused ReLU6) timed under each setting in turn, interleaved in one process so that the machine's drift
/// hits every setting alike; median of 14 after 2 warm-ups, with each setting's milliseconds and GFLOP/s and the ratio of
/// the first setting's time to the last's.
/// </summary>
internal static class ConvSettingsTimer
{
    /// <param name="shapes">The convolutions.</param>
    /// <param name="settings">The settings to compare.</param>
    /// <param name="enter">Applies a setting around one timed call; returns what ends it, or null for a global switch.</param>
    /// <param name="label">A setting's name in the output.</param>
    public static int Run<T>(ConvShape[] shapes, T[] settings, Func<T, IDisposable?> enter, Func<T, string> label, bool keepWeights = false)
    {
        using var kept = keepWeights ? new PreparedConvWeights() : null;
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var random = new Random(3);
        Tensor Rand(params int[] d) { var a = new float[d.Aggregate(1, (x, y) => x * y)]; for (int i = 0; i < a.Length; i++) a[i] = (float)(random.NextDouble() - 0.5); return Tensor.FromArray(a, d); }
        foreach (var s in shapes)
        {
            var x = Rand(s.N, s.Cin, s.H, s.H);
            var w = Rand(s.Cout, s.Cin / s.G, s.K, s.KernelWidth);
            var b = Rand(s.Cout);
            var o = new Conv2dOptions(s.S, s.S, s.K / 2, s.KernelWidth / 2, 1, 1, s.G);
            var t = settings.Select(_ => new List<double>()).ToArray();
            Tensor? y = null;
            for (int i = 0; i < 16; i++)
            {
                for (int v = 0; v < settings.Length; v++)
                {
                    y?.Dispose();
                    using var setting = enter(settings[v]);
                    using var keptScope = kept?.Use(w);
                    var c = Stopwatch.StartNew();
                    y = Ops.Conv2dActivation(x, w, b, o, ActivationKind.ReLU6);
                    if (i >= 2) t[v].Add(c.Elapsed.TotalMilliseconds);
                }
            }
            var medians = t.Select(l => { l.Sort(); return l[l.Count / 2]; }).ToArray();
            int oh = y!.Shape[2], ow = y.Shape[3];
            double flops = 2.0 * s.N * s.Cout * oh * ow * (s.Cin / s.G) * s.K * s.KernelWidth;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Name,-30} ")
                + string.Join("  ", medians.Select((m, v) => string.Create(CultureInfo.InvariantCulture, $"[{label(settings[v])}] {m,6:F2} ms {flops / m / 1e6,6:F1} GF/s")))
                + string.Create(CultureInfo.InvariantCulture, $"  x{medians[0] / medians[^1]:F2}"));
        }
        enter(settings[^1])?.Dispose();
        return 0;
    }
}
