using System.Diagnostics;
using TransferKit.Api;
using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Models.Inference;
using TransferKit.Tensors;
using TransferKit.Training.Freezing;

namespace TransferKit.Benchmarks.Peer;

/// <summary>
/// The cache-fill rows: the frozen backbone of a transfer run (<see cref="FreezeDepth.Backbone"/>) over
/// <see cref="OrtPeerOptions.CacheImages"/> images in batches, as the trainer fills its activation cache, against
/// ONNX Runtime's NAME.features.onnx (the network up to and including global average pooling) over the same batches.
/// Images are seeded tensors, made outside the timing on both sides; decoding and resizing, which ONNX Runtime does not
/// do, are left out (the <c>transfer-frozen</c> item of run_all.sh times a whole run from JPEG files). Each side's rate
/// is the images over the summed wall time of its batches, after one untimed batch.
/// <para>TransferKit runs twice: with BN in eval mode but not folded, and with BN folded and the convolutions fused, as
/// the trainer's cache fill runs. Its output is the final feature map the cache stores; the head pools it every epoch, so the
/// pooling is not timed here (it is under 0.1% of the backbone's work) and is applied only to compare with ONNX Runtime's
/// pooled features.</para>
/// </summary>
internal static class OrtCacheFillRun
{
    public static IEnumerable<OrtPeerRow> Measure(OrtPeerOptions options)
    {
        var info = Architectures.Get(options.CacheNetwork);
        int size = info.Preprocessing.InputSize;
        var batches = Batches(options).ToList();

        using var session = new OrtSession(Path.Combine(options.Folder, info.Name + ".features.onnx"), options.Threads);
        var (ort, theirs) = Fill(batches, size, (input, count) => session.Run(input, count, size));

        using var model = OrtPeerRun.LoadImageNet(options, info);
        var plan = FreezePlan.For(model, FreezeDepth.Backbone);
        plan.Apply(model);
        plan.SetTrainingMode(model);
        string ortMeasures = $"{info.Name}.features.onnx forward: everything before the classifier, global average pooling included";
        var variants = new List<(bool Folded, bool BFloat16)> { (false, false), (true, false) };
        if (OrtPeerRun.RunsBFloat16(options)) variants.Add((true, true));
        foreach (var (folded, bf16) in variants)
        {
            using var folding = folded ? BatchNormFolding.Fold(model) : null;
            var (tk, ours) = Fill(batches, size, (input, count) => Forward(model, plan, input, count, size, bf16));
            // ORT's pooled features give the channel count; a map with other channels fails the comparison, as it should.
            var pooled = PeerInputs.Pool(ours, batches[0].Count, theirs.Length / batches[0].Count);
            yield return new OrtPeerRow(bf16 ? "cache fill, bfloat16" : folded ? "cache fill" : "cache fill, BN not folded",
                $"cache fill {(bf16 ? "bf16 " : "")}{info.Name} {options.CacheImages} images batch {options.Batch}{(folded ? "" : " BN not folded")}", info.Name, options.Batch,
                $"frozen backbone forward (all {plan.FrozenUnits} units) to the final feature map, no tape, BN in eval mode, "
                    + (bf16 ? "BN folded, convolutions fused, TrainingOptions.FrozenPrecision = BFloat16 (ORT in float32)"
                        : folded ? "BN folded, convolutions fused (as the trainer's cache fill runs)" : "BN not folded"),
                ortMeasures, options.CacheImages / tk, options.CacheImages / ort, PeerInputs.RelativeDifference(pooled, theirs),
                bf16 ? OrtPeerOptions.BFloat16Tolerance : OrtPeerOptions.Tolerance);
        }
    }

    /// <summary>The batches' seeds and sizes: CacheImages in batches of Batch, the last one smaller when it does not divide.</summary>
    private static IEnumerable<(int Seed, int Count)> Batches(OrtPeerOptions options)
    {
        for (int start = 0, b = 0; start < options.CacheImages; start += options.Batch, b++)
            yield return (1000 + b, Math.Min(options.Batch, options.CacheImages - start));
    }

    private static float[] Forward(ConvNet model, FreezePlan plan, float[] input, int count, int size, bool bf16)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        using var precision = InferencePrecisionSupport.Enter(bf16 ? InferencePrecision.BFloat16 : InferencePrecision.Float32);
        using var x = Tensor.FromArray(input, count, 3, size, size);
        return model.ForwardUnits(x, 0, plan.FrozenUnits).ReadOnlySpan.ToArray();
    }

    /// <summary>
    /// One untimed batch, then every batch timed; returns the summed seconds and the first batch's output (for the
    /// comparison). Inputs are made outside the timing.
    /// </summary>
    private static (double Seconds, float[] First) Fill(List<(int Seed, int Count)> batches, int size, Func<float[], int, float[]> forward)
    {
        var (seed0, count0) = batches[0];
        forward(PeerInputs.Images(count0, size, seed0), count0);
        double seconds = 0;
        float[] first = [];
        for (int i = 0; i < batches.Count; i++)
        {
            var (seed, count) = batches[i];
            var input = PeerInputs.Images(count, size, seed);
            var clock = Stopwatch.StartNew();
            var output = forward(input, count);
            seconds += clock.Elapsed.TotalSeconds;
            if (i == 0) first = output;
        }

        return (seconds, first);
    }
}
