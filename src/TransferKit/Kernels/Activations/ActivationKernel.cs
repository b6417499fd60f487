using System.Numerics.Tensors;
using TransferKit.Kernels.Elementwise;

namespace TransferKit.Kernels.Activations;

/// <summary>
/// Point-wise activations and their gradients over flat float buffers, with PyTorch's definitions (see
/// <see cref="ActivationKind"/>). ReLU, ReLU6, Sigmoid and Tanh run on TensorPrimitives; SiLU, Hardswish and every
/// gradient run as operator structs on <see cref="PointwiseDriver"/>. Large buffers are split over threads.
/// <see cref="NaiveActivation"/> is the reference twin.
/// </summary>
public static unsafe class ActivationKernel
{
    /// <summary>y = f(x) over <paramref name="length"/> elements. <paramref name="y"/> may equal <paramref name="x"/> (in place).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or <paramref name="kind"/> is unknown.</exception>
    public static void Forward(ActivationKind kind, float* x, float* y, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        switch (kind)
        {
            case ActivationKind.Identity:
                if (x != y) new ReadOnlySpan<float>(x, length).CopyTo(new Span<float>(y, length));
                break;
            case ActivationKind.ReLU:
                ParallelRanges.Run(length, (s, e) => TensorPrimitives.Max(new ReadOnlySpan<float>(x + s, e - s), 0f, new Span<float>(y + s, e - s)));
                break;
            case ActivationKind.ReLU6:
                ParallelRanges.Run(length, (s, e) => TensorPrimitives.Clamp(new ReadOnlySpan<float>(x + s, e - s), 0f, 6f, new Span<float>(y + s, e - s)));
                break;
            case ActivationKind.SiLU:
                PointwiseDriver.Map(default(SiluOperator), x, y, length);
                break;
            case ActivationKind.Sigmoid:
                ParallelRanges.Run(length, (s, e) => TensorPrimitives.Sigmoid(new ReadOnlySpan<float>(x + s, e - s), new Span<float>(y + s, e - s)));
                break;
            case ActivationKind.Hardswish:
                PointwiseDriver.Map(default(HardswishOperator), x, y, length);
                break;
            case ActivationKind.Tanh:
                ParallelRanges.Run(length, (s, e) => TensorPrimitives.Tanh(new ReadOnlySpan<float>(x + s, e - s), new Span<float>(y + s, e - s)));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation.");
        }
    }

    /// <summary>
    /// gradX += gradY * f'(x) over <paramref name="length"/> elements. <paramref name="x"/> is the forward input and
    /// <paramref name="y"/> its output: ReLU, Sigmoid and Tanh read <paramref name="y"/>; ReLU6, SiLU and Hardswish read
    /// <paramref name="x"/>; Identity reads neither. <paramref name="gradX"/> must not alias any other buffer.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or <paramref name="kind"/> is unknown.</exception>
    public static void Backward(ActivationKind kind, float* x, float* y, float* gradY, float* gradX, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        switch (kind)
        {
            case ActivationKind.Identity:
                ElementwiseKernel.AddInPlace(gradY, gradX, length);
                break;
            case ActivationKind.ReLU:
                PointwiseDriver.Accumulate(default(ReluGradientOperator), y, gradY, gradX, length);
                break;
            case ActivationKind.ReLU6:
                PointwiseDriver.Accumulate(default(Relu6GradientOperator), x, gradY, gradX, length);
                break;
            case ActivationKind.SiLU:
                PointwiseDriver.Accumulate(default(SiluGradientOperator), x, gradY, gradX, length);
                break;
            case ActivationKind.Sigmoid:
                PointwiseDriver.Accumulate(default(SigmoidGradientOperator), y, gradY, gradX, length);
                break;
            case ActivationKind.Hardswish:
                PointwiseDriver.Accumulate(default(HardswishGradientOperator), x, gradY, gradX, length);
                break;
            case ActivationKind.Tanh:
                PointwiseDriver.Accumulate(default(TanhGradientOperator), y, gradY, gradX, length);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation.");
        }
    }
}
