using TransferKit.Kernels.Activations;
using TransferKit.Tensors;

namespace TransferKit.Autograd;

public static partial class Ops
{
    /// <summary>Applies an element-wise activation; the output has the input's shape.</summary>
    public static unsafe Tensor Activation(Tensor input, ActivationKind kind)
    {
        ArgumentNullException.ThrowIfNull(input);
        var y = Tensor.Empty(input.Shape);
        ActivationKernel.Forward(kind, input.Data, y.Data, input.Length);
        Tape.Record(y, () => new ActivationNode(input, kind), input);
        OpTrace.Current?.Record(TracedOpKind.Activation, y, kind, input);
        return y;
    }

    /// <summary>max(x, 0).</summary>
    public static Tensor Relu(Tensor input) => Activation(input, ActivationKind.ReLU);

    /// <summary>min(max(x, 0), 6), as in MobileNetV2.</summary>
    public static Tensor Relu6(Tensor input) => Activation(input, ActivationKind.ReLU6);

    /// <summary>x * sigmoid(x), as in EfficientNet.</summary>
    public static Tensor Silu(Tensor input) => Activation(input, ActivationKind.SiLU);

    /// <summary>1 / (1 + exp(-x)).</summary>
    public static Tensor Sigmoid(Tensor input) => Activation(input, ActivationKind.Sigmoid);

    /// <summary>x * relu6(x + 3) / 6, as in MobileNetV3.</summary>
    public static Tensor Hardswish(Tensor input) => Activation(input, ActivationKind.Hardswish);

    private sealed unsafe class ActivationNode : TapeNode
    {
        private readonly Tensor _input;
        private readonly ActivationKind _kind;

        public ActivationNode(Tensor input, ActivationKind kind) : base(input)
        {
            _input = input;
            _kind = kind;
        }

        public override string Name => _kind.ToString();

        public override void Backward(Tensor gradOutput, GradientSink grads)
        {
            if (grads.ForOverwrite(0, out bool overwrite) is { } gx)
                ActivationKernel.Backward(_kind, _input.Data, Output.Data, gradOutput.Data, gx.Data, _input.Length, overwrite);
        }
    }
}
