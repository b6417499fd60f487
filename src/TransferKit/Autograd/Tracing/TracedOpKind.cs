namespace TransferKit.Autograd;

/// <summary>The primitive ops an <see cref="OpTrace"/> records, with the type of each one's settings.</summary>
internal enum TracedOpKind
{
    /// <summary>Inputs x, weight, bias?; settings <see cref="Conv2dOptions"/>.</summary>
    Conv2d,

    /// <summary>Inputs x, weight, bias; settings <see cref="TracedBatchNorm"/>.</summary>
    BatchNorm,

    /// <summary>Inputs x; settings <see cref="Kernels.Activations.ActivationKind"/>.</summary>
    Activation,

    /// <summary>Inputs x; settings (min, max) as <c>float[2]</c>.</summary>
    Clip,

    /// <summary>Inputs x; settings alpha as <c>float</c>.</summary>
    LeakyRelu,

    /// <summary>Inputs x; settings (alpha, beta) as <c>float[2]</c>: max(0, min(1, alpha x + beta)).</summary>
    HardSigmoid,

    /// <summary>Inputs a, b of equal shape; no settings.</summary>
    Add,

    /// <summary>Inputs a, b (NumPy broadcasting); settings <see cref="BinaryKind"/>.</summary>
    Broadcast,

    /// <summary>Inputs x [N, C, H, W], scale [N, C] or [N, C, 1, 1]; no settings.</summary>
    ChannelScale,

    /// <summary>Inputs x [N, in], weight [out, in], bias?; no settings.</summary>
    Linear,

    /// <summary>Inputs a [M, K], b [K, N]; no settings.</summary>
    MatMul,

    /// <summary>Inputs x; settings <see cref="Pool2dOptions"/>.</summary>
    MaxPool2d,

    /// <summary>Inputs x; settings <see cref="Pool2dOptions"/>.</summary>
    AvgPool2d,

    /// <summary>Inputs x; the output shape holds the target size; no settings.</summary>
    AdaptiveAvgPool2d,

    /// <summary>Inputs x; the output shape holds the target size; no settings.</summary>
    AdaptiveMaxPool2d,

    /// <summary>Inputs x; settings <see cref="TracedPad"/>.</summary>
    Pad2d,

    /// <summary>Inputs x; the output shape is the target; no settings.</summary>
    Reshape,

    /// <summary>Inputs along the channel axis (1); no settings.</summary>
    Concat,

    /// <summary>Inputs x [N, C]; softmax over axis 1; no settings.</summary>
    Softmax,

    /// <summary>Inputs x [N, C]; log-softmax over axis 1; no settings.</summary>
    LogSoftmax,

    /// <summary>An op that has no graph form (training-mode dropout, losses); settings its name as <c>string</c>.</summary>
    Unsupported,
}
