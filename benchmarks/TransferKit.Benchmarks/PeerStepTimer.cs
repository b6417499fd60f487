using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TransferKit.Kernels;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Benchmarks;

/// <summary>
/// Times the baseline-CNN step the way <c>benchmarks/peer/baseline_cnn_step.py</c> times PyTorch's (warm-up, then the
/// median of N steps) and prints the same JSON fields, so <c>benchmarks/peer/compare.sh</c> can put them side by side.
/// </summary>
internal static class PeerStepTimer
{
    public static int Run(string[] args)
    {
        int steps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        int warmup = 3;
        using var step = new BaselineCnnStep();
        for (int i = 0; i < warmup; i++) step.Run();
        var times = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            var clock = Stopwatch.StartNew();
            step.Run();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        double median = times[steps / 2];
        var result = new
        {
            framework = "transferkit",
            gemm = GemmEngine.Provider.Name,
            threads = Parallelism.DegreeOfParallelism,
            batch = BaselineCnnStep.Batch,
            ms_per_step = Math.Round(median, 2),
            images_per_second = Math.Round(BaselineCnnStep.Batch * 1000 / median, 1),
        };
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }
}
