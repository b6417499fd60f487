using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using TransferKit.Autograd;
using TransferKit.Kernels;
using TransferKit.Models;
using TransferKit.Models.Inference;
using TransferKit.Tensors;
using TransferKit.Weights;

namespace TransferKit.Benchmarks.Peer;

/// <summary>
/// One network at one batch size: TransferKit's catalog network with the .pth weights, BatchNorm folded (what
/// TrainedModel does), and ONNX Runtime's session on the .onnx export of the same weights, each warmed up twice and
/// timed over the same input.
/// </summary>
internal static class OrtPeerRun
{
    public static OrtPeerRow Measure(OrtPeerOptions options, string network, int batch)
    {
        var info = Architectures.Get(network);
        int size = info.Preprocessing.InputSize;
        var input = new float[batch * 3 * size * size];
        var random = new Random(7);
        for (int i = 0; i < input.Length; i++) input[i] = (float)((random.NextDouble() * 4) - 2);

        Parallelism.DegreeOfParallelism = options.Threads;
        using var model = info.CreateImageNet();
        WeightsLoader.Load(model, Path.Combine(options.Folder, network + ".pth"));
        model.Eval();
        model.SetTrainable(false);
        using var folding = BatchNormFolding.Fold(model);
        using var x = Tensor.FromArray(input, batch, 3, size, size);
        float[] ours = [];
        double tk = Median(options.Steps, () =>
        {
            using var noGrad = GradMode.NoGrad();
            using var logits = model.Forward(x);
            ours = logits.ReadOnlySpan.ToArray();
        });

        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.Threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        using var session = new InferenceSession(Path.Combine(options.Folder, network + ".onnx"), sessionOptions);
        using var ortInput = OrtValue.CreateTensorValueFromMemory(input, [batch, 3, size, size]);
        float[] theirs = [];
        double ort = Median(options.Steps, () =>
        {
            using var outputs = session.Run(new RunOptions(), ["input"], [ortInput], ["output"]);
            theirs = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        });

        double scale = theirs.Max(MathF.Abs);
        double difference = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max() / Math.Max(scale, 1e-12);
        return new OrtPeerRow(network, batch, batch / tk, batch / ort, difference);
    }

    /// <summary>Two warm-up calls, then the median wall time of <paramref name="steps"/> calls, in seconds.</summary>
    private static double Median(int steps, Action run)
    {
        run();
        run();
        var times = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            var clock = Stopwatch.StartNew();
            run();
            times[i] = clock.Elapsed.TotalSeconds;
        }

        Array.Sort(times);
        return times[steps / 2];
    }
}
