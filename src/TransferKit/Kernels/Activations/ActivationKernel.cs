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
    public static void Backward(ActivationKind kind, float* x, float* y, float* gradY, float* gradX, int length) =>
        Backward(kind, x, y, gradY, gradX, length, overwrite: false);

    /// <summary>
    /// As <see cref="Backward(ActivationKind, float*, float*, float*, float*, int)"/>, or with
    /// <paramref name="overwrite"/> gradX = gradY * f'(x), not reading gradX's old contents.
    /// </summary>
    internal static void Backward(ActivationKind kind, float* x, float* y, float* gradY, float* gradX, int length, bool overwrite)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        switch (kind)
        {
            case ActivationKind.Identity:
                if (overwrite) ParallelRanges.Run(length, (s, e) => new ReadOnlySpan<float>(gradY + s, e - s).CopyTo(new Span<float>(gradX + s, e - s)));
                else ElementwiseKernel.AddInPlace(gradY, gradX, length);
                break;
            case ActivationKind.ReLU:
                Gradient(default(ReluGradientOperator), y, gradY, gradX, length, overwrite);
                break;
            case ActivationKind.ReLU6:
                Gradient(default(Relu6GradientOperator), x, gradY, gradX, length, overwrite);
                break;
            case ActivationKind.SiLU:
                Gradient(default(SiluGradientOperator), x, gradY, gradX, length, overwrite);
                break;
            case ActivationKind.Sigmoid:
                Gradient(default(SigmoidGradientOperator), y, gradY, gradX, length, overwrite);
                break;
            case ActivationKind.Hardswish:
                Gradient(default(HardswishGradientOperator), x, gradY, gradX, length, overwrite);
                break;
            case ActivationKind.Tanh:
                Gradient(default(TanhGradientOperator), y, gradY, gradX, length, overwrite);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation.");
        }
    }

    private static void Gradient<TOp>(TOp op, float* saved, float* gradY, float* gradX, int length, bool overwrite)
        where TOp : struct, IBinaryOperator
    {
        if (overwrite) PointwiseDriver.Map(op, saved, gradY, gradX, length);
        else PointwiseDriver.Accumulate(op, saved, gradY, gradX, length);
    }
}
