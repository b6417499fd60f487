using TransferKit.Autograd;
using TransferKit.Nn;
using TransferKit.Tensors;
using TransferKit.Training.Optimizers;

namespace TransferKit.Training;

/// <summary>
/// One supervised step of a softmax classifier: forward, cross-entropy, backward, optimizer update, all inside a
/// <see cref="TensorScope"/> so the step's temporaries return to the pool and memory stays flat.
/// </summary>
public sealed class ClassificationTrainStep
{
    private readonly Module _model;
    private readonly Optimizer _optimizer;

    /// <summary>Creates the step for <paramref name="model"/> updated by <paramref name="optimizer"/>.</summary>
    public ClassificationTrainStep(Module model, Optimizer optimizer)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
    }

    /// <summary>Label smoothing of the cross-entropy (default 0).</summary>
    public float LabelSmoothing { get; init; }

    /// <summary>Trains on one batch.</summary>
    /// <param name="images">[N, C, H, W].</param>
    /// <param name="labels">N class indices.</param>
    /// <returns>Loss and accuracy of the batch, measured before the update.</returns>
    public StepResult Run(Tensor images, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        _model.Train();
        using var scope = TensorScope.Begin();
        using var tape = Tape.Begin();
        _optimizer.ZeroGrad();
        var logits = _model.Forward(images);
        var loss = Ops.CrossEntropy(logits, labels, labelSmoothing: LabelSmoothing);
        float lossValue = loss.Item();
        int correct = ClassificationMetrics.CountCorrect(logits, labels);
        tape.Backward(loss);
        _optimizer.Step();
        return new StepResult(lossValue, correct, labels.Length);
    }
}
