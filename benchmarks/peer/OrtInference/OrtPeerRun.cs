using TransferKit.Api;
using TransferKit.Autograd;
using TransferKit.Kernels;
using TransferKit.Models;
using TransferKit.Models.Inference;
using TransferKit.Tensors;
using TransferKit.Weights;

namespace TransferKit.Benchmarks.Peer;

/// <summary>
/// The inference rows: one network at one batch size, TransferKit's catalog network with the .pth weights in eval mode
/// and ONNX Runtime's session on NAME.onnx, timed the same way over the same input, logits compared. TransferKit runs as
/// <c>TrainedModel.Predict</c> runs its network (BatchNorm folded for inference, convolutions fused), leaving out decoding
/// and resizing, which ONNX Runtime does not do either.
/// </summary>
internal static class OrtPeerRun
{
    public static IEnumerable<OrtPeerRow> Measure(OrtPeerOptions options, string network, int batch)
    {
        var info = Architectures.Get(network);
        int size = info.Preprocessing.InputSize;
        var input = PeerInputs.Images(batch, size, seed: 7);

        float[] theirs = [], ours = [];
        using var session = new OrtSession(Path.Combine(options.Folder, network + ".onnx"), options.Threads);
        using var ortInput = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(input, [batch, 3, size, size]);
        using var model = LoadImageNet(options, info);
        model.Eval();
        using var x = Tensor.FromArray(input, batch, 3, size, size);
        string ortMeasures = $"{network}.onnx forward to logits, all graph optimisations";
        // As TrainedModel.Predict and Evaluate run their network: folded for inference, parameters left trainable.
        using var folding = BatchNormFolding.FoldForInference(model);
        var (folded, ort) = PeerClock.MedianAlternating(options.Warmup, options.WarmupSeconds, options.Steps,
            () => ours = ForwardOnce(model, x), () => theirs = session.Run(ortInput));
        yield return new OrtPeerRow("inference", $"inference {network} batch {batch}", network, batch,
            $"eval forward to logits at {size}x{size} as TrainedModel.Predict runs its network: no tape, BN folded, convolutions fused (preprocessing not timed)",
            ortMeasures, batch / folded, batch / ort, PeerInputs.RelativeDifference(ours, theirs));
        if (!RunsBFloat16(options)) yield break;
        double bf16, ort16;
        using (InferencePrecisionSupport.Enter(InferencePrecision.BFloat16))
            (bf16, ort16) = PeerClock.MedianAlternating(options.Warmup, options.WarmupSeconds, options.Steps,
                () => ours = ForwardOnce(model, x), () => theirs = session.Run(ortInput));
        yield return new OrtPeerRow("inference, bfloat16", $"inference bf16 {network} batch {batch}", network, batch,
            "as the inference row, with TrainedModel.Precision = BFloat16: the matrix products on bfloat16 inputs with float32 accumulation (ORT in float32)",
            ortMeasures, batch / bf16, batch / ort16, PeerInputs.RelativeDifference(ours, theirs), OrtPeerOptions.BFloat16Tolerance);
    }

    /// <summary>Whether the bfloat16 rows run: asked for, and the CPU has AVX512-BF16.</summary>
    public static bool RunsBFloat16(OrtPeerOptions options) => options.BFloat16 && InferencePrecisionSupport.IsAvailable(InferencePrecision.BFloat16);

    /// <summary>One forward of the network without a tape, and its logits.</summary>
    private static float[] ForwardOnce(ConvNet model, Tensor x)
    {
        using var noGrad = GradMode.NoGrad();
        using var output = model.Forward(x);
        return output.ReadOnlySpan.ToArray();
    }

    /// <summary>The catalog network with its 1000-class head and the export's weights, on the peer's threads.</summary>
    public static ConvNet LoadImageNet(OrtPeerOptions options, ArchitectureInfo info)
    {
        Parallelism.DegreeOfParallelism = options.Threads;
        string path = Path.Combine(options.Folder, info.Name + ".pth");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: run /usr/bin/python3 benchmarks/peer/export_torchvision.py {options.Folder} {info.Name}", path);
        var model = info.CreateImageNet();
        try
        {
            WeightsLoader.Load(model, path);
        }
        catch
        {
            model.Dispose();
            throw;
        }

        return model;
    }
}
