using System.Diagnostics;
using System.Globalization;
using TransferKit.Api;
using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;
using TransferKit.Tensors;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>conv-time N,Cin,Cout,H,K,S[,G] [seconds] [bf16] [kept] [act=NAME]</c>: one convolution (fused ReLU unless
/// <c>act=</c> names another <see cref="ActivationKind"/>, padding K / 2) run again and again for a while, printing the
/// median and fastest milliseconds and the median's GFLOP/s: a steady target for <c>perf record</c> while a
/// kernel is being worked on. <c>kept</c> keeps the kernels' forms of the weights across calls, as folded inference does
/// (<see cref="PreparedConvWeights"/>).
/// </summary>
internal static class SingleConvTimer
{
    public static int Run(string[] args)
    {
        int[] d = args[1].Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        var s = new ConvShape(args[1], d[0], d[1], d[2], d[3], d[4], d[5], d.Length > 6 ? d[6] : 1);
        double seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        using var precision = args.Skip(3).Contains("bf16") ? InferencePrecisionSupport.Enter(InferencePrecision.BFloat16) : null;
        using var kept = args.Skip(3).Contains("kept") ? new PreparedConvWeights() : null;
        string? actName = args.Skip(3).FirstOrDefault(a => a.StartsWith("act=", StringComparison.Ordinal))?[4..];
        var activation = actName is null ? ActivationKind.ReLU : Enum.Parse<ActivationKind>(actName, ignoreCase: true);
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var random = new Random(3);
        Tensor Rand(params int[] shape)
        {
            var a = new float[shape.Aggregate(1, (x, y) => x * y)];
            for (int i = 0; i < a.Length; i++) a[i] = (float)(random.NextDouble() - 0.5);
            return Tensor.FromArray(a, shape);
        }

        var x = Rand(s.N, s.Cin, s.H, s.H);
        var w = Rand(s.Cout, s.Cin / s.G, s.K, s.K);
        var b = Rand(s.Cout);
        var o = new Conv2dOptions(s.S, s.S, s.K / 2, s.K / 2, 1, 1, s.G);
        var times = new List<double>();
        int outSize = 0;
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds || times.Count < 3)
        {
            var clock = Stopwatch.StartNew();
            using var keptScope = kept?.Use(w);
            using var y = Ops.Conv2dActivation(x, w, b, o, activation);
            times.Add(clock.Elapsed.TotalMilliseconds);
            outSize = y.Shape[2];
        }

        times.Sort();
        double ms = times[times.Count / 2];
        double flops = 2.0 * s.N * s.Cout * outSize * outSize * (s.Cin / s.G) * s.K * s.K;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Name} {activation}: {ms:F2} ms (fastest {times[0]:F2}), {flops / ms / 1e6:F1} GFLOP/s, {times.Count} runs"));
        return 0;
    }
}
