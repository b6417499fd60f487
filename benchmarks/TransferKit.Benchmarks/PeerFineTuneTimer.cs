using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TransferKit.Kernels;
using TransferKit.Kernels.Gemm;
using TransferKit.Models;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>peer-fine-tune-step [steps] [batch] [architecture]</c>: times <see cref="FineTuneStep"/> (default ResNet-50, batch 16,
/// last unit and head training, frozen BatchNorm unfolded as in the trainer) the way
/// <c>benchmarks/peer/fine_tune_step.py</c> times PyTorch (2 warm-up steps, then the median of N), and prints the same JSON fields.
/// </summary>
internal static class PeerFineTuneTimer
{
    private const int Warmup = 2;

    public static int Run(string[] args)
    {
        var (steps, batch, info) = Arguments(args);
        using var step = WarmedStep(info, batch);
        var times = new double[steps];
        float loss = 0;
        for (int i = 0; i < steps; i++)
        {
            var clock = Stopwatch.StartNew();
            loss = step.Run();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        double median = times[steps / 2];
        int size = info.Preprocessing.InputSize;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            framework = "transferkit",
            network = info.Name,
            gemm = GemmEngine.Provider.Name,
            threads = Parallelism.DegreeOfParallelism,
            batch,
            image = $"3x{size}x{size}",
            trainable = $"{info.Units[^1]}, head",
            trainable_parameters = step.TrainableParameters,
            steps,
            ms_per_step = Math.Round(median, 1),
            ms_min = Math.Round(times[0], 1),
            images_per_second = Math.Round(batch * 1000 / median, 2),
            last_loss = Math.Round(loss, 4),
        }));
        return 0;
    }

    /// <summary>Steps, batch and network from <c>[steps] [batch] [architecture]</c> (10, the benchmark's batch, ResNet-50).</summary>
    private static (int Steps, int Batch, ArchitectureInfo Info) Arguments(string[] args) =>
        (args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10,
         args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : FineTuneStepBenchmarks.Batch,
         Architectures.Get(args.Length > 3 ? args[3] : "resnet50"));

    /// <summary>The step, after the warm-up steps the peer script runs too.</summary>
    private static FineTuneStep WarmedStep(ArchitectureInfo info, int batch)
    {
        var step = new FineTuneStep(info, batch);
        for (int i = 0; i < Warmup; i++) step.Run();
        return step;
    }

    /// <summary>
    /// <c>fine-tune-phases [steps] [batch] [architecture]</c>: the same step, the median milliseconds of each phase
    /// (frozen prefix, trainable forward and loss, backward, optimizer update) as one markdown row.
    /// </summary>
    public static int RunPhases(string[] args)
    {
        var (steps, batch, info) = Arguments(args);
        using var step = WarmedStep(info, batch);
        var phases = Enumerable.Range(0, 4).Select(_ => new List<double>()).ToArray();
        for (int i = 0; i < steps; i++)
        {
            var (prefix, forward, backward, update, _) = step.RunPhases();
            phases[0].Add(prefix);
            phases[1].Add(forward);
            phases[2].Add(backward);
            phases[3].Add(update);
        }
        double[] medians = [.. phases.Select(p => { p.Sort(); return p[p.Count / 2]; })];
        Console.WriteLine("| network | batch | frozen prefix ms | trainable forward ms | backward ms | update ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {info.Name} | {batch} | {medians[0]:F1} | {medians[1]:F1} | {medians[2]:F1} | {medians[3]:F1} |"));
        return 0;
    }
}
