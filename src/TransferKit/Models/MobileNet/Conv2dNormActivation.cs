using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// torchvision's <c>Conv2dNormActivation</c>: a bias-free convolution with "same" padding ((k - 1) / 2 * dilation),
/// batch norm, and an optional activation, registered as children "0", "1" and "2" so keys read
/// <c>features.0.0.weight</c> and <c>features.0.1.running_mean</c>.
/// </summary>
internal sealed class Conv2dNormActivation : Module
{
    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernel">Square kernel size.</param>
    /// <param name="random">Seeded source for the conv weights.</param>
    /// <param name="norm">Batch-norm epsilon and momentum of the family.</param>
    /// <param name="activation">The activation, or null for a linear block (the projection of an inverted residual).</param>
    /// <param name="stride">Stride.</param>
    /// <param name="groups">Groups; equal to the channels for a depthwise conv.</param>
    /// <param name="dilation">Dilation.</param>
    public Conv2dNormActivation(int inChannels, int outChannels, int kernel, Random random, BatchNormSettings norm,
        ActivationKind? activation, int stride = 1, int groups = 1, int dilation = 1)
    {
        int padding = (kernel - 1) / 2 * dilation;
        Conv = AddModule("0", new Conv2d(inChannels, outChannels, kernel, random, Conv2dOptions.Square(stride, padding, dilation, groups), bias: false));
        Norm = AddModule("1", new BatchNorm2d(outChannels, norm.Eps, norm.Momentum));
        if (activation is { } kind) Activation = AddModule("2", new Activation(kind));
    }

    /// <summary>The convolution (child "0").</summary>
    public Conv2d Conv { get; }

    /// <summary>The batch norm (child "1").</summary>
    public BatchNorm2d Norm { get; }

    /// <summary>The activation (child "2"), or null.</summary>
    public Activation? Activation { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (Norm.IsFoldedNow) return Conv.ForwardActivated(input, Activation?.Kind ?? ActivationKind.Identity);
        var conv = Conv.Forward(input);
        var activated = Norm.ForwardActivated(conv, Activation?.Kind ?? ActivationKind.Identity);
        ReleaseIntermediate(conv);
        return activated;
    }
}

/// <summary>Batch-norm epsilon and momentum (PyTorch's convention: weight of the new batch statistic) of a model family.</summary>
/// <param name="Eps">Added to the variance.</param>
/// <param name="Momentum">Weight of the new batch statistic in the running averages.</param>
internal readonly record struct BatchNormSettings(float Eps, float Momentum)
{
    /// <summary>PyTorch's defaults, 1e-5 and 0.1 (MobileNetV2, EfficientNet-B0..B4).</summary>
    public static BatchNormSettings PyTorchDefault => new(1e-5f, 0.1f);

    /// <summary>
    /// 1e-3 and 0.01: TensorFlow's BN (epsilon 0.001, decay 0.99) that the MobileNetV3 paper's reference models use;
    /// torchvision's MobileNetV3 sets it explicitly.
    /// </summary>
    public static BatchNormSettings TensorFlow => new(1e-3f, 0.01f);
}
