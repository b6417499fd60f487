using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;
using TransferKit.Tensors;

namespace TransferKit.Tests.Autograd;

/// <summary>
/// Nodes that write a fresh gradient buffer in full instead of adding into a zeroed one
/// (<see cref="GradientSink.ForOverwrite"/>): the gradient must be the one the adding path gives, with the buffer
/// pool full of NaN so that any element left unwritten shows, and with a second consumer of the same tensor before
/// or after the overwriting node.
/// </summary>
public class OverwrittenGradientTests
{
    public static TheoryData<string> Operations => new() { "relu", "relu6", "silu", "identity", "maxpool", "batchnorm", "conv-im2col", "conv-winograd", "conv-depthwise" };

    [Theory]
    [MemberData(nameof(Operations))]
    public void AFreshBufferGetsTheGradientTheAddingPathGives(string operation)
    {
        var previous = Conv2dKernel.ForwardAlgorithm;
        try
        {
            Conv2dKernel.ForwardAlgorithm = operation == "conv-winograd" ? Conv2dForwardAlgorithm.Winograd : Conv2dForwardAlgorithm.Im2Col;
            var random = new Random(operation.Length);
            var values = new float[2 * 4 * 6 * 6];
            for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 4 - 2);

            // Adding path: the op's input h is a leaf, whose gradient buffer starts at zero.
            var (viaLeaf, seed) = GradientOf(values, operation, intermediate: false, Consumer.None);
            // Overwriting path: the input is h = x + x, an intermediate, so its buffer is fresh; dx = 2 dh exactly.
            var (viaFresh, _) = GradientOf(values, operation, intermediate: true, Consumer.None);
            if (operation == "conv-im2col")
            {
                // Written over, the input gradient runs as the rotated kernel's forward convolution
                // (Conv2dKernel.BackwardDataAsForward): the same sums in another order, so within rounding.
                NumericAssert.KernelClose([.. viaLeaf.Select(v => 2 * v)], viaFresh, $"{operation}, written over");
            }
            else
            {
                Assert.Equal(viaLeaf.Select(v => 2 * v), viaFresh);
            }

            // A second consumer of h adds its own gradient, whichever of the two reaches h's buffer first: a reshape
            // (gradient: the seed) beside a shape-keeping op, a second max pool (the same gradient again) beside a pool.
            // Adding onto the other's gradient sums in another order (im2col adds tap by tap), so within rounding.
            float[] extra = operation == "maxpool" ? viaLeaf : seed;
            float[] expected = [.. viaLeaf.Select((v, i) => 2 * (v + extra[i]))];
            NumericAssert.KernelClose(expected, GradientOf(values, operation, intermediate: true, Consumer.RecordedBefore).Gradient, $"{operation}, overwritten first");
            NumericAssert.KernelClose(expected, GradientOf(values, operation, intermediate: true, Consumer.RecordedAfter).Gradient, $"{operation}, added second");
        }
        finally
        {
            Conv2dKernel.ForwardAlgorithm = previous;
        }
    }

    private enum Consumer
    {
        None,
        RecordedBefore,
        RecordedAfter,
    }

    private static (float[] Gradient, float[] Seed) GradientOf(float[] values, string operation, bool intermediate, Consumer consumer)
    {
        PoisonThePool(values.Length * 4);
        using var scope = TensorScope.Begin();
        // h holds 2 * values either way: the leaf itself, or x + x computed exactly.
        var x = Tensor.FromArray(intermediate ? values : [.. values.Select(v => 2 * v)], 2, 4, 6, 6);
        x.RequiresGrad = true;
        var weight = Tensor.FromArray([.. Enumerable.Range(0, 4 * 4 * 9).Select(i => (float)Math.Sin(i))], 4, 4, 3, 3);
        var depthwise = Tensor.FromArray([.. Enumerable.Range(0, 4 * 9).Select(i => (float)Math.Cos(i))], 4, 1, 3, 3);
        var gamma = Tensor.FromArray([1.5f, -0.5f, 2f, 0.25f], 4);
        var beta = Tensor.FromArray([0.1f, 0.2f, -0.3f, 0f], 4);
        using var tape = Tape.Begin();
        var h = intermediate ? Ops.Add(x, x) : x;
        Tensor Other() => operation == "maxpool" ? Ops.MaxPool2d(h, Pool2dOptions.Square(2)) : Ops.Reshape(h, h.Shape);
        Tensor? other = consumer == Consumer.RecordedBefore ? Other() : null;
        var y = operation switch
        {
            "relu" => Ops.Activation(h, ActivationKind.ReLU),
            "relu6" => Ops.Activation(h, ActivationKind.ReLU6),
            "silu" => Ops.Activation(h, ActivationKind.SiLU),
            "identity" => Ops.Activation(h, ActivationKind.Identity),
            "maxpool" => Ops.MaxPool2d(h, Pool2dOptions.Square(2)),
            "batchnorm" => Ops.BatchNorm(h, gamma, beta, null, null, training: true),
            "conv-depthwise" => Ops.Conv2d(h, depthwise, null, Conv2dOptions.Square(padding: 1, groups: 4)),
            _ => Ops.Conv2d(h, weight, null, Conv2dOptions.Square(padding: 1)),
        };
        if (consumer == Consumer.RecordedAfter) other = Other();
        var output = other is null ? y : Ops.Add(y, other);
        // A fixed, uneven seed, so that every element of dh depends on where it came from.
        float[] seed = [.. Enumerable.Range(0, output.Length).Select(i => 0.5f + (i % 7) * 0.25f)];
        tape.Backward(output, Tensor.FromArray(seed, output.Shape.ToArray()));
        return (x.Grad!.ToArray(), seed);
    }

    /// <summary>Fills and returns many pool blocks of the sizes the test uses with NaN, so a fresh buffer starts as NaN.</summary>
    private static void PoisonThePool(int maxLength)
    {
        var blocks = new List<Tensor>();
        for (int length = 16; length <= maxLength; length *= 2)
            for (int copies = 0; copies < 6; copies++)
            {
                blocks.Add(Tensor.Full(new Shape(length), float.NaN));
                blocks.Add(Tensor.Full(new Shape(length * 5 / 4), float.NaN));
                blocks.Add(Tensor.Full(new Shape(length * 3 / 2), float.NaN));
                blocks.Add(Tensor.Full(new Shape(length * 7 / 4), float.NaN));
            }
        foreach (var b in blocks) b.Dispose();
    }
}
