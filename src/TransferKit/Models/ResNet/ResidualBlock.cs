using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// A ResNet block: a residual branch added to the input (or to its projection by <see cref="Downsample"/>), then ReLU.
/// <see cref="BasicBlock"/> and <see cref="Bottleneck"/> differ only in the branch.
/// </summary>
public abstract class ResidualBlock : Module
{
    /// <summary>
    /// The projection shortcut (<c>downsample.0</c> a strided 1x1 conv, <c>downsample.1</c> its BN), present when the block
    /// changes resolution or channel count; otherwise null and the input is added unchanged.
    /// </summary>
    public Sequential? Downsample { get; private set; }

    /// <summary>The conv/BN pairs of the block, the shortcut's included, each BN directly after its conv.</summary>
    public abstract IEnumerable<(Conv2d Conv, BatchNorm2d Norm)> ConvBatchNormPairs();

    /// <summary>Registers the projection shortcut as <c>downsample</c> when stride or channels change (torchvision's rule).</summary>
    protected void AddDownsampleIfNeeded(int inChannels, int outChannels, int stride, Random random)
    {
        if (stride == 1 && inChannels == outChannels) return;
        Downsample = AddModule("downsample", new Sequential(
            new Conv2d(inChannels, outChannels, 1, random, Conv2dOptions.Square(stride: stride), bias: false),
            new BatchNorm2d(outChannels)));
    }

    /// <summary>The shortcut's pair, if there is a shortcut.</summary>
    protected IEnumerable<(Conv2d Conv, BatchNorm2d Norm)> DownsamplePair() =>
        Downsample is null ? [] : [((Conv2d)Downsample[0], (BatchNorm2d)Downsample[1])];

    /// <summary>conv, then BN, then ReLU when <paramref name="relu"/>; intermediates are released.</summary>
    protected static Tensor ConvNorm(Conv2d conv, BatchNorm2d norm, Tensor input, bool relu)
    {
        if (norm.IsFoldedNow) return conv.ForwardActivated(input, relu ? ActivationKind.ReLU : ActivationKind.Identity);
        var convolved = conv.Forward(input);
        var normalized = norm.ForwardActivated(convolved, relu ? ActivationKind.ReLU : ActivationKind.Identity);
        ReleaseIntermediate(convolved);
        return normalized;
    }

    /// <summary>
    /// The block's last convolution and batch norm, plus the shortcut, then ReLU: one fused convolution when the batch
    /// norm is folded, else <see cref="ConvNorm"/> followed by <see cref="AddShortcutAndActivate"/>.
    /// </summary>
    protected Tensor ConvNormAddShortcutAndActivate(Conv2d conv, BatchNorm2d norm, Tensor hidden, Tensor input)
    {
        if (!norm.IsFoldedNow) return AddShortcutAndActivate(ConvNorm(conv, norm, hidden, relu: false), input);
        var shortcut = Downsample?.Forward(input) ?? input;
        var output = conv.ForwardActivated(hidden, ActivationKind.ReLU, shortcut);
        if (!ReferenceEquals(shortcut, input)) ReleaseIntermediate(shortcut);
        return output;
    }

    /// <summary>ReLU(<paramref name="residual"/> + shortcut(<paramref name="input"/>)); releases the residual and the projected shortcut.</summary>
    protected Tensor AddShortcutAndActivate(Tensor residual, Tensor input)
    {
        var shortcut = Downsample?.Forward(input) ?? input;
        var sum = Ops.Add(residual, shortcut);
        ReleaseIntermediate(residual);
        if (!ReferenceEquals(shortcut, input)) ReleaseIntermediate(shortcut);
        var output = Ops.Relu(sum);
        ReleaseIntermediate(sum);
        return output;
    }
}
