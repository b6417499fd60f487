namespace TransferKit.Kernels.Activations;

/// <summary>The point-wise non-linearities the CNN families use, each with PyTorch's definition.</summary>
public enum ActivationKind
{
    /// <summary>y = x.</summary>
    Identity,

    /// <summary>y = max(x, 0); the gradient is 0 where y &lt;= 0 (so 0 at x = 0), as PyTorch's threshold_backward.</summary>
    ReLU,

    /// <summary>y = min(max(x, 0), 6) (MobileNetV2); the gradient is 0 at and outside the corners 0 and 6, as PyTorch's hardtanh_backward.</summary>
    ReLU6,

    /// <summary>y = x * sigmoid(x), also called swish (EfficientNet).</summary>
    SiLU,

    /// <summary>y = 1 / (1 + exp(-x)).</summary>
    Sigmoid,

    /// <summary>
    /// y = x * relu6(x + 3) / 6 (MobileNetV3). The gradient is 0 for x &lt;= -3, x / 3 + 1/2 for -3 &lt; x &lt; 3 and 1 for
    /// x &gt;= 3, the boundary convention of current PyTorch (before 2.1 its scalar CPU path used -0.5 at -3 and 1.5 at 3).
    /// </summary>
    Hardswish,

    /// <summary>y = tanh(x).</summary>
    Tanh,
}
