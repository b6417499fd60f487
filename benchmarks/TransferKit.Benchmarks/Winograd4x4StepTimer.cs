using System.Diagnostics;
using System.Globalization;
using TransferKit.Kernels.Convolution;
using TransferKit.Models;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>winograd4-steps [steps]</c>: the baseline-CNN training step and the ResNet-50 last-stage fine-tune step with
/// <see cref="Winograd4x4Conv2d"/> allowed for weights transformed per call (<see cref="Conv2dKernel.Winograd4x4ForFreshWeights"/>)
/// and without it, alternated step by step in one process; medians per setting after two warm-up rounds.
/// </summary>
internal static class Winograd4x4StepTimer
{
    public static int Run(string[] args)
    {
        int steps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
        using (var baseline = new BaselineCnnStep()) Report("baseline CNN step, batch 32", steps, () => baseline.Run());
        using (var fineTune = new FineTuneStep(Architectures.ResNet50, batch: 16)) Report("resnet50 fine-tune step, batch 16", steps, () => fineTune.Run());
        Conv2dKernel.Winograd4x4ForFreshWeights = true;
        return 0;
    }

    private static void Report(string name, int steps, Action step)
    {
        var times = new[] { new List<double>(), new List<double>() };
        for (int i = 0; i < steps + 2; i++)
        {
            for (int s = 0; s < 2; s++)
            {
                Conv2dKernel.Winograd4x4ForFreshWeights = s == 1;
                var clock = Stopwatch.StartNew();
                step();
                if (i >= 2) times[s].Add(clock.Elapsed.TotalMilliseconds);
            }
        }
        double Median(List<double> l) { l.Sort(); return l[l.Count / 2]; }
        double without = Median(times[0]), with = Median(times[1]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-36} without {without,7:F1} ms, with winograd 4x4 {with,7:F1} ms, x{without / with:F2}"));
    }
}
