using System.Diagnostics;
using System.Globalization;
using TransferKit.Autograd;
using TransferKit.Kernels;
using TransferKit.Models;
using TransferKit.Models.Inference;
using TransferKit.Tensors;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>chunked-networks [networks] [batch] [chunks] [rounds]</c>: a batch's eval forward whole and as consecutive forwards
/// of smaller chunks of its images (comma-separated chunk sizes, default 16,8,4,2,1), in rounds that alternate the chunk
/// sizes, printing each one's median img/s: whether a network's activations at the full batch spill out of the cache.
/// </summary>
internal static class ChunkedBatchTimer
{
    public static int Run(string[] args)
    {
        string[] networks = args.Length > 1 ? args[1].Split(',') : ["mobilenet_v2"];
        int batch = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;
        int[] chunks = args.Length > 3 ? args[3].Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray() : [16, 8, 4, 2, 1];
        int rounds = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 5;
        foreach (string name in networks)
        {
            var info = Architectures.Get(name);
            using var model = info.CreateImageNet();
            model.Eval();
            using var folding = BatchNormFolding.FoldForInference(model);
            int size = info.Preprocessing.InputSize;
            var inputs = chunks.ToDictionary(c => c, c => Tensor.Full(new Shape(c, 3, size, size), 0.1f).Persist());
            double Once(int chunk)
            {
                using var noGrad = GradMode.NoGrad();
                var clock = Stopwatch.StartNew();
                for (int done = 0; done < batch; done += chunk)
                {
                    using var logits = model.Forward(inputs[chunk]);
                }
                return clock.Elapsed.TotalSeconds;
            }
            var times = chunks.ToDictionary(c => c, _ => new List<double>());
            foreach (int c in chunks) Once(c);
            for (int r = 0; r < rounds; r++)
                foreach (int c in r % 2 == 0 ? chunks : chunks.Reverse())
                    times[c].Add(Once(c));
            Console.WriteLine(string.Join("  ", chunks.Select(c =>
            {
                var t = times[c].Order().ToArray();
                return string.Create(CultureInfo.InvariantCulture, $"chunk {c}: {batch / t[t.Length / 2]:F1} img/s");
            })) + $"  ({name}, batch {batch}, {Parallelism.DegreeOfParallelism} threads)");
            foreach (var t in inputs.Values) t.Dispose();
        }
        return 0;
    }
}
