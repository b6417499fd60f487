using TransferKit.Kernels.Losses;
using TransferKit.Tensors;

namespace TransferKit.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Mean softmax cross-entropy, exactly as PyTorch's <c>cross_entropy</c> with <c>weight</c> and <c>label_smoothing</c>.
    /// </summary>
    /// <param name="logits">[N, classes].</param>
    /// <param name="labels">N class indices in [0, classes).</param>
    /// <param name="classWeights">[classes] or null.</param>
    /// <param name="labelSmoothing">In [0, 1).</param>
    /// <returns>A scalar tensor.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A label is out of range (the message names the row).</exception>
    public static unsafe Tensor CrossEntropy(Tensor logits, int[] labels, Tensor? classWeights = null, float labelSmoothing = 0f)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        RequireRank(logits, 2, "CrossEntropy", "logits");
        int n = logits.Shape[0], classes = logits.Shape[1];
        if (labels.Length != n)
            throw new ShapeMismatchException($"CrossEntropy: {labels.Length} labels for logits {logits.Shape}.");
        classWeights?.EnsureShape(new Shape(classes), "CrossEntropy class weights");
        if (labelSmoothing is < 0f or >= 1f)
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "Label smoothing must be in [0, 1).");

        var probabilities = Tensor.Empty(logits.Shape);
        float loss;
        fixed (int* l = labels)
            loss = CrossEntropyKernel.Forward(n, classes, logits.Data, l, PointerOrNull(classWeights), labelSmoothing, probabilities.Data);
        var y = Tensor.Full(Shape.Scalar, loss);
        var saved = (int[])labels.Clone();
        Tape.Record(y, () => new CrossEntropyNode(logits, saved, classWeights, labelSmoothing, probabilities), logits);
        return y;
    }

    /// <summary>Mean binary cross-entropy on logits (numerically stable), as PyTorch's <c>binary_cross_entropy_with_logits</c>.</summary>
    /// <param name="logits">Any shape, e.g. [N, 1].</param>
    /// <param name="targets">Same shape, values in [0, 1].</param>
    /// <param name="positiveWeight">PyTorch's <c>pos_weight</c> for a single output, or null.</param>
    /// <returns>A scalar tensor.</returns>
    public static unsafe Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor targets, float? positiveWeight = null)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        targets.EnsureShape(logits.Shape, "BinaryCrossEntropyWithLogits targets");
        float pw = positiveWeight ?? 0f;
        float loss = BinaryCrossEntropyWithLogitsKernel.Forward(logits.Length, logits.Data, targets.Data, positiveWeight.HasValue ? &pw : null);
        var y = Tensor.Full(Shape.Scalar, loss);
        Tape.Record(y, () => new BinaryCrossEntropyNode(logits, targets, positiveWeight), logits);
        return y;
    }

    /// <summary>Row-wise log-softmax of an [N, classes] tensor.</summary>
    public static unsafe Tensor LogSoftmax(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireRank(input, 2, "LogSoftmax", "input");
        var y = Tensor.Empty(input.Shape);
        SoftmaxKernel.LogForward(input.Shape[0], input.Shape[1], input.Data, y.Data);
        Tape.Record(y, () => new LogSoftmaxNode(input), input);
        OpTrace.Current?.Record(TracedOpKind.LogSoftmax, y, null, input);
        return y;
    }

    /// <summary>Row-wise softmax of an [N, classes] tensor (for probabilities; train with <see cref="CrossEntropy"/>).</summary>
    public static unsafe Tensor Softmax(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireRank(input, 2, "Softmax", "input");
        var y = Tensor.Empty(input.Shape);
        SoftmaxKernel.Forward(input.Shape[0], input.Shape[1], input.Data, y.Data);
        Tape.Record(y, () => new SoftmaxNode(input), input);
        OpTrace.Current?.Record(TracedOpKind.Softmax, y, null, input);
        return y;
    }

    private sealed unsafe class CrossEntropyNode(Tensor logits, int[] labels, Tensor? classWeights, float smoothing, Tensor probabilities)
        : TapeNode(logits)
    {
        public override string Name => "CrossEntropy";

        public override void Backward(Tensor gradOutput, GradientSink grads)
        {
            if (grads.For(0) is not { } gx) return;
            fixed (int* l = labels)
                CrossEntropyKernel.Backward(logits.Shape[0], logits.Shape[1], probabilities.Data, l, PointerOrNull(classWeights),
                    smoothing, gradOutput.Span[0], gx.Data);
        }
    }

    private sealed unsafe class BinaryCrossEntropyNode(Tensor logits, Tensor targets, float? positiveWeight) : TapeNode(logits)
    {
        public override string Name => "BinaryCrossEntropyWithLogits";

        public override void Backward(Tensor gradOutput, GradientSink grads)
        {
            if (grads.For(0) is not { } gx) return;
            float pw = positiveWeight ?? 0f;
            BinaryCrossEntropyWithLogitsKernel.Backward(logits.Length, logits.Data, targets.Data, positiveWeight.HasValue ? &pw : null,
                gradOutput.Span[0], gx.Data);
        }
    }

    private sealed unsafe class LogSoftmaxNode(Tensor input) : TapeNode(input)
    {
        public override string Name => "LogSoftmax";

        public override void Backward(Tensor gradOutput, GradientSink grads)
        {
            if (grads.For(0) is { } gx)
                SoftmaxKernel.LogBackward(input.Shape[0], input.Shape[1], Output.Data, gradOutput.Data, gx.Data);
        }
    }

    private sealed class SoftmaxNode(Tensor input) : TapeNode(input)
    {
        public override string Name => "Softmax";

        public override void Backward(Tensor gradOutput, GradientSink grads)
        {
            if (grads.For(0) is not { } gx) return;
            int rows = input.Shape[0], cols = input.Shape[1];
            var y = Output.ReadOnlySpan;
            var gy = gradOutput.ReadOnlySpan;
            var g = gx.Span;
            for (int r = 0; r < rows; r++)
            {
                var yr = y.Slice(r * cols, cols);
                var gyr = gy.Slice(r * cols, cols);
                float dot = System.Numerics.Tensors.TensorPrimitives.Dot(yr, gyr);
                for (int c = 0; c < cols; c++) g[r * cols + c] += yr[c] * (gyr[c] - dot);
            }
        }
    }
}
