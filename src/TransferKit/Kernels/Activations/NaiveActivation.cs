namespace TransferKit.Kernels.Activations;

/// <summary>
/// The reference twin of <see cref="ActivationKernel"/>: one scalar switch per element, evaluated in double and
/// rounded once, with every gradient computed from the input x. It is the test oracle; never used in training.
/// </summary>
public static unsafe class NaiveActivation
{
    /// <summary>y = f(x); same contract as <see cref="ActivationKernel.Forward"/>.</summary>
    public static void Forward(ActivationKind kind, float* x, float* y, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        for (int i = 0; i < length; i++) y[i] = (float)Value(kind, x[i]);
    }

    /// <summary>gradX += gradY * f'(x); same contract as <see cref="ActivationKernel.Backward(ActivationKind, float*, float*, float*, float*, int)"/> (this twin ignores <paramref name="y"/>).</summary>
    public static void Backward(ActivationKind kind, float* x, float* y, float* gradY, float* gradX, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        for (int i = 0; i < length; i++) gradX[i] = (float)(gradX[i] + gradY[i] * Derivative(kind, x[i]));
    }

    /// <summary>f(x) in double.</summary>
    internal static double Value(ActivationKind kind, double x) => kind switch
    {
        ActivationKind.Identity => x,
        ActivationKind.ReLU => x > 0 ? x : 0,
        ActivationKind.ReLU6 => Math.Min(Math.Max(x, 0), 6),
        ActivationKind.SiLU => x * Sigmoid(x),
        ActivationKind.Sigmoid => Sigmoid(x),
        ActivationKind.Hardswish => x * Math.Min(Math.Max(x + 3, 0), 6) / 6,
        ActivationKind.Tanh => Math.Tanh(x),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation."),
    };

    /// <summary>f'(x) in double, with PyTorch's values at the kinks (see <see cref="ActivationKind"/>).</summary>
    internal static double Derivative(ActivationKind kind, double x)
    {
        switch (kind)
        {
            case ActivationKind.Identity:
                return 1;
            case ActivationKind.ReLU:
                return x > 0 ? 1 : 0;
            case ActivationKind.ReLU6:
                return x > 0 && x < 6 ? 1 : 0;
            case ActivationKind.SiLU:
                double s = Sigmoid(x);
                return s * (1 + x * (1 - s));
            case ActivationKind.Sigmoid:
                double t = Sigmoid(x);
                return t * (1 - t);
            case ActivationKind.Hardswish:
                if (x <= -3) return 0;
                return x < 3 ? x / 3 + 0.5 : 1;
            case ActivationKind.Tanh:
                double h = Math.Tanh(x);
                return 1 - h * h;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation.");
        }
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
