using System.Diagnostics;
using System.Globalization;
using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Models.Inference;
using TransferKit.Tensors;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>unit-context NETWORK [batch] [steps]</c>: each unit's eval time alone and hot (<see cref="UnitTimes"/>, the same unit
/// again and again) beside its time inside whole forwards (the units one after the other, as a prediction runs them), the
/// medians of N: where a whole forward loses to the sum of its hot units, to weights and activations no longer in cache.
/// </summary>
internal static class UnitContextTimer
{
    public static int Run(string[] args)
    {
        var info = Architectures.Get(args.Length > 1 ? args[1] : "mobilenet_v2");
        int batch = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
        int steps = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 200;
        using var model = info.CreateImageNet();
        model.Eval();
        using var folding = BatchNormFolding.FoldForInference(model);
        int size = info.Preprocessing.InputSize;
        using var scope = TensorScope.Begin();
        var x = UnitTimes.RandomImages(batch, size);
        var hot = UnitTimes.Measure(model, x, steps);
        using var noGrad = GradMode.NoGrad();
        int units = model.Units.Count;
        var inContext = Enumerable.Range(0, units).Select(_ => new List<double>()).ToArray();
        var whole = new List<double>();
        for (int step = 0; step < steps + 2; step++)
        {
            var input = x;
            var total = Stopwatch.StartNew();
            for (int u = 0; u < units; u++)
            {
                var clock = Stopwatch.StartNew();
                var output = model.ForwardUnits(input, u, u + 1);
                if (step >= 2) inContext[u].Add(clock.Elapsed.TotalMilliseconds);
                if (!ReferenceEquals(input, x)) input.Dispose();
                input = output;
            }
            model.ForwardHead(input).Dispose();
            if (step >= 2) whole.Add(total.Elapsed.TotalMilliseconds);
            input.Dispose();
        }
        static double Median(List<double> t)
        {
            t.Sort();
            return t[t.Count / 2];
        }
        Console.WriteLine($"| {info.Name} unit, batch {batch} | hot ms | in a whole forward ms | ratio |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        double hotSum = 0, contextSum = 0;
        for (int u = 0; u < units; u++)
        {
            double h = hot[u].Milliseconds, c = Median(inContext[u]);
            hotSum += h;
            contextSum += c;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {hot[u].Name} | {h:F3} | {c:F3} | {c / h:F2} |"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| units | {hotSum:F3} | {contextSum:F3} | {contextSum / hotSum:F2} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| whole forward with head | | {Median(whole):F3} | |"));
        return 0;
    }
}
