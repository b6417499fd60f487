using System.Globalization;
using TransferKit.Api;
using TransferKit.Kernels;
using TransferKit.Models;
using TransferKit.Models.Inference;
using TransferKit.Tensors;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>profile-units NETWORK [batch] [steps] [threads] [bf16]</c>: where an eval forward spends its time, unit by unit (folded and
/// fused, as <c>TrainedModel.Predict</c> runs it): each unit alone on its own input, the median of N after two warm-up
/// runs, with its share of the sum, so a kernel change can be aimed at the units that cost most. Prints a markdown table.
/// </summary>
internal static class UnitProfileTimer
{
    public static int Run(string[] args)
    {
        var info = Architectures.Get(args.Length > 1 ? args[1] : "mobilenet_v2");
        int batch = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;
        int steps = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5;
        if (args.Length > 4) Parallelism.DegreeOfParallelism = int.Parse(args[4], CultureInfo.InvariantCulture);
        bool bf16 = args.Length > 5 && args[5] == "bf16";
        using var precision = InferencePrecisionSupport.Enter(bf16 ? InferencePrecision.BFloat16 : InferencePrecision.Float32);
        using var model = info.CreateImageNet();
        model.Eval();
        using var folding = BatchNormFolding.FoldForInference(model);
        int size = info.Preprocessing.InputSize;
        using var scope = TensorScope.Begin();
        var x = UnitTimes.RandomImages(batch, size);
        var rows = UnitTimes.Measure(model, x, steps).Select(r => (r.Name, r.Shape, Ms: r.Milliseconds)).ToList();
        double total = rows.Sum(r => r.Ms);
        Console.WriteLine($"| {info.Name} unit, batch {batch}, {Parallelism.DegreeOfParallelism} threads{(bf16 ? ", bfloat16" : "")} | output | ms | share |");
        Console.WriteLine("| --- | --- | ---: | ---: |");
        foreach (var (name, shape, ms) in rows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {shape} | {ms:F2} | {ms / total:P1} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| total | | {total:F2} | {batch * 1000 / total:F1} img/s |"));
        return 0;
    }
}
