using TransferKit.Api;
using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Models.Inference;
using TransferKit.Tensors;
using TransferKit.Training.Freezing;
using TransferKit.Training.Optimizers;

namespace TransferKit.Benchmarks;

/// <summary>
/// One fine-tuning step with the last unit unfrozen, as the trainer runs it when the activation cache is off (augmentation
/// on, or the prefix too large to cache): the frozen prefix forward without a tape, its BatchNorm in evaluation mode and
/// folded (convolutions fused), then the last unit and the head forward and backward on a tape, cross-entropy, and an Adam update of the trainable
/// parameters. Random weights and images (speed does not depend on them), 2 classes. The BenchmarkDotNet class
/// <see cref="FineTuneStepBenchmarks"/> and the peer mode <c>peer-fine-tune-step</c> both time it;
/// <c>benchmarks/peer/fine_tune_step.py</c> is the PyTorch peer.
/// </summary>
internal sealed class FineTuneStep : IDisposable
{
    public const int Classes = 2, Seed = 1;

    private readonly ConvNet _model;
    private readonly FreezePlan _plan;
    private readonly Adam _optimizer;
    private readonly FoldedBatchNorm? _folding;
    private readonly Tensor _images;
    private readonly int[] _labels;
    private readonly InferencePrecision _frozenPrecision;

    /// <param name="architecture">The catalog network (its last unit trains).</param>
    /// <param name="batch">Images per step, at the network's catalog input size.</param>
    /// <param name="foldFrozenBatchNorm">Fold the frozen prefix's BatchNorm into its convolutions, as the trainer does for a whole fit.</param>
    /// <param name="frozenPrecision">The prefix's arithmetic, as <c>TrainingOptions.FrozenPrecision</c> sets it.</param>
    public FineTuneStep(ArchitectureInfo architecture, int batch, bool foldFrozenBatchNorm = true, InferencePrecision frozenPrecision = InferencePrecision.Float32)
    {
        Batch = batch;
        _frozenPrecision = frozenPrecision;
        _model = architecture.Create(Classes, Seed);
        _plan = FreezePlan.For(_model, FreezeDepth.TrainLastUnits(1));
        _plan.Apply(_model);
        _plan.SetTrainingMode(_model);
        // Folding only takes effect where BN is in evaluation mode with frozen parameters: the prefix, not the last unit.
        if (foldFrozenBatchNorm) _folding = BatchNormFolding.Fold(_model);
        _optimizer = new Adam(_model, 1e-3f);
        int size = architecture.Preprocessing.InputSize;
        _images = Tensor.Empty(batch, 3, size, size);
        var random = new Random(Seed);
        var span = _images.Span;
        for (int i = 0; i < span.Length; i++) span[i] = (float)(random.NextDouble() * 2 - 1);
        _labels = [.. Enumerable.Range(0, batch).Select(i => i % Classes)];
    }

    /// <summary>Images per step.</summary>
    public int Batch { get; }

    /// <summary>Leading units that stay frozen.</summary>
    public int FrozenUnits => _plan.FrozenUnits;

    /// <summary>Parameters the step updates.</summary>
    public long TrainableParameters => _model.ParameterCount(trainableOnly: true);

    /// <summary>One step; returns the loss so the work is not elided.</summary>
    public float Run() => RunPhases().Loss;

    /// <summary>
    /// One step timed phase by phase (milliseconds): the frozen prefix, the trainable units' forward and the loss, the
    /// backward pass, the optimizer's update; the loss so the work is not elided.
    /// </summary>
    public (double Prefix, double Forward, double Backward, double Update, float Loss) RunPhases()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        _plan.SetTrainingMode(_model);
        using var scope = TensorScope.Begin();
        Tensor prefix;
        using (GradMode.NoGrad())
        using (InferencePrecisionSupport.Enter(_frozenPrecision))
            prefix = _model.ForwardUnits(_images, 0, _plan.FrozenUnits);
        double prefixMs = clock.Elapsed.TotalMilliseconds;
        using var tape = Tape.Begin();
        _optimizer.ZeroGrad();
        var logits = _model.ApplyHead(_model.ForwardUnits(prefix, _plan.FrozenUnits, _model.Units.Count));
        var loss = Ops.CrossEntropy(logits, _labels);
        float value = loss.Item();
        double forwardMs = clock.Elapsed.TotalMilliseconds;
        tape.Backward(loss);
        double backwardMs = clock.Elapsed.TotalMilliseconds;
        _optimizer.Step();
        double updateMs = clock.Elapsed.TotalMilliseconds;
        return (prefixMs, forwardMs - prefixMs, backwardMs - forwardMs, updateMs - backwardMs, value);
    }

    public void Dispose()
    {
        _images.Dispose();
        _folding?.Dispose();
        _optimizer.Dispose();
        _model.Dispose();
    }
}
