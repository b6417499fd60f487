using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Models.Inference;
using TransferKit.Tensors;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>peer-inference [networks] [steps] [batch]</c>: times eval-mode inference (default batch 16, BatchNorm folded into the
/// convolutions) per network (comma-separated catalog names, default <see cref="InferenceBenchmarks.Networks"/>) the way
/// <c>benchmarks/peer/inference.py</c> times PyTorch (2 warm-up batches, then the median of N), and prints the same JSON
/// fields for <c>benchmarks/peer/compare_inference.sh</c> and <c>run_all.sh</c>.
/// </summary>
internal static class PeerInferenceTimer
{
    public static int Run(string[] args)
    {
        string[] networks = args.Length > 1 ? args[1].Split(',') : [.. InferenceBenchmarks.Networks];
        int steps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        int batch = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : InferenceBenchmarks.Batch;
        foreach (string name in networks)
        {
            var info = Architectures.Get(name);
            using var model = info.CreateImageNet();
            model.Eval();
            model.SetTrainable(false);
            using var folding = BatchNormFolding.Fold(model);
            int size = info.Preprocessing.InputSize;
            using var input = Tensor.Full(new Shape(batch, 3, size, size), 0.1f);
            double Once()
            {
                using var noGrad = GradMode.NoGrad();
                var clock = Stopwatch.StartNew();
                using var logits = model.Forward(input);
                return clock.Elapsed.TotalSeconds;
            }
            Once();
            Once();
            var times = Enumerable.Range(0, steps).Select(_ => Once()).Order().ToArray();
            double median = times[steps / 2];
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                framework = "transferkit",
                network = name,
                batch,
                image = $"3x{size}x{size}",
                folded = true,
                steps,
                ms_per_batch = Math.Round(median * 1e3, 1),
                ms_min = Math.Round(times[0] * 1e3, 1),
                images_per_second = Math.Round(batch / median, 1),
                gflops_per_second = Math.Round(2 * info.GigaFlops * batch / median, 1),
            }));
        }
        return 0;
    }
}
