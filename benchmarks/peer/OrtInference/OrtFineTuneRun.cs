using TransferKit.Api;
using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Models.Inference;
using TransferKit.Tensors;
using TransferKit.Training.Freezing;

namespace TransferKit.Benchmarks.Peer;

/// <summary>
/// The fine-tune rows, ResNet-50 at 224 with layer4 and the head training. ONNX Runtime cannot train, so it has no step
/// of its own: its column is the frozen prefix (stem, layer1..layer3, NAME.upto_layer3.onnx) alone, the part of the step
/// that an inference engine could take over. Two rows:
/// <list type="bullet">
/// <item>"fine-tune step": TransferKit's whole step, the one the PyTorch peer row times (<see cref="FineTuneStep"/>:
/// prefix forward without a tape, BN in eval mode and folded, as the trainer runs it; layer4 and a 2-class linear head
/// forward and backward; cross-entropy; Adam), against ONNX Runtime's prefix. The ratio says how far a whole step is from
/// the prefix forward alone in ONNX Runtime, not a like-for-like speed.</item>
/// <item>"frozen prefix": like for like, TransferKit's prefix forward exactly as the step runs it, on the export's
/// weights, against ONNX Runtime's, with the [N, 1024, 14, 14] outputs compared.</item>
/// </list>
/// </summary>
internal static class OrtFineTuneRun
{
    public const string Network = "resnet50";

    public static IEnumerable<OrtPeerRow> Measure(OrtPeerOptions options)
    {
        var info = Architectures.Get(Network);
        int size = info.Preprocessing.InputSize, batch = options.Batch;
        var input = PeerInputs.Images(batch, size, seed: 11);

        using var prefix = new OrtSession(Path.Combine(options.Folder, Network + ".upto_layer3.onnx"), options.Threads);
        using var ortInput = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(input, [batch, 3, size, size]);
        float[] theirs = [];
        double ort = PeerClock.Median(options.Warmup, options.WarmupSeconds, options.Steps, () => theirs = prefix.Run(ortInput));

        string units;
        // In a block of its own so that this model is freed before the step builds its own.
        {
            using var model = OrtPeerRun.LoadImageNet(options, info);
            var plan = FreezePlan.For(model, FreezeDepth.TrainLastUnits(1));
            plan.Apply(model);
            plan.SetTrainingMode(model);
            using var folding = BatchNormFolding.Fold(model);
            units = string.Join(", ", info.Units.Take(plan.FrozenUnits));
            using var x = Tensor.FromArray(input, batch, 3, size, size);
            foreach (var precision in Precisions(options))
            {
                bool bf16 = precision == InferencePrecision.BFloat16;
                float[] ours = [];
                double tkPrefix = PeerClock.Median(options.Warmup, options.WarmupSeconds, options.Steps, () =>
                {
                    using var scope = TensorScope.Begin();
                    using var noGrad = GradMode.NoGrad();
                    using var inPrecision = InferencePrecisionSupport.Enter(precision);
                    ours = model.ForwardUnits(x, 0, plan.FrozenUnits).ReadOnlySpan.ToArray();
                });
                yield return new OrtPeerRow(bf16 ? "fine-tune frozen prefix, bfloat16" : "fine-tune frozen prefix",
                    $"fine-tune frozen prefix {(bf16 ? "bf16 " : "")}{Network} batch {batch}", Network, batch,
                    $"frozen prefix forward ({units}) as the fine-tune step runs it: no tape, BN in eval mode, folded"
                        + (bf16 ? ", TrainingOptions.FrozenPrecision = BFloat16 (ORT in float32)" : ""),
                    $"{Network}.upto_layer3.onnx forward (the same units), all graph optimisations",
                    batch / tkPrefix, batch / ort, PeerInputs.RelativeDifference(ours, theirs),
                    bf16 ? OrtPeerOptions.BFloat16Tolerance : OrtPeerOptions.Tolerance);
            }
        }

        foreach (var precision in Precisions(options))
        {
            bool bf16 = precision == InferencePrecision.BFloat16;
            double step;
            using (var fineTune = new FineTuneStep(info, batch, frozenPrecision: precision))
                step = PeerClock.Median(options.Warmup, options.WarmupSeconds, options.Steps, () => fineTune.Run());
            yield return new OrtPeerRow(bf16 ? "fine-tune step, bfloat16 prefix" : "fine-tune step",
                $"fine-tune step {(bf16 ? "bf16 " : "")}{Network} batch {batch}", Network, batch,
                $"whole step: frozen prefix forward ({units}){(bf16 ? " in bfloat16" : "")}, {info.Units[^1]} + linear head forward and backward (float32), cross-entropy, Adam",
                $"{Network}.upto_layer3.onnx forward only (ONNX Runtime cannot train)",
                batch / step, batch / ort, null);
        }
    }

    /// <summary>Float32, then bfloat16 where its rows run.</summary>
    private static IEnumerable<InferencePrecision> Precisions(OrtPeerOptions options) =>
        OrtPeerRun.RunsBFloat16(options) ? [InferencePrecision.Float32, InferencePrecision.BFloat16] : [InferencePrecision.Float32];
}
