using System.Diagnostics;
using System.Globalization;
using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;
using TransferKit.Tensors;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>depthwise-split</c>: MobileNetV2's and EfficientNet-B0's stride-2 depthwise convolutions at batch 16 with the
/// column phases filled in one deinterleaving pass and with one strided gather per phase, interleaved in one process;
/// median of 14 after 2 warm-ups.
/// </summary>
internal static class DepthwiseSplitTimer
{
    public static int Run(string[] args)
    {
        (string Name, int C, int H, int K)[] shapes =
        [
            ("mnv2 dw 3x3 s2 96 @112", 96, 112, 3),
            ("mnv2 dw 3x3 s2 144 @56", 144, 56, 3),
            ("mnv2 dw 3x3 s2 192 @28", 192, 28, 3),
            ("effb0 dw 5x5 s2 144 @56", 144, 56, 5),
        ];
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var random = new Random(3);
        Tensor Rand(params int[] d) { var a = new float[d.Aggregate(1, (x, y) => x * y)]; for (int i = 0; i < a.Length; i++) a[i] = (float)(random.NextDouble() - 0.5); return Tensor.FromArray(a, d); }
        bool[] settings = [false, true];
        foreach (var s in shapes)
        {
            var x = Rand(16, s.C, s.H, s.H);
            var w = Rand(s.C, 1, s.K, s.K);
            var b = Rand(s.C);
            var o = new Conv2dOptions(2, 2, s.K / 2, s.K / 2, 1, 1, s.C);
            var t = settings.Select(_ => new List<double>()).ToArray();
            for (int i = 0; i < 16; i++)
            {
                for (int v = 0; v < settings.Length; v++)
                {
                    DepthwisePlan.DeinterleaveColumnPairs = settings[v];
                    var c = Stopwatch.StartNew();
                    using var y = Ops.Conv2dActivation(x, w, b, o, ActivationKind.ReLU6);
                    if (i >= 2) t[v].Add(c.Elapsed.TotalMilliseconds);
                }
            }
            var m = t.Select(l => { l.Sort(); return l[l.Count / 2]; }).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Name,-26} per-phase gather {m[0],6:F2} ms   deinterleave {m[1],6:F2} ms   x{m[0] / m[1]:F2}"));
        }
        DepthwisePlan.DeinterleaveColumnPairs = true;
        return 0;
    }
}
