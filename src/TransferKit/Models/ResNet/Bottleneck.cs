using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// ResNet-50/101/152's block as torchvision builds it (ResNet v1.5): conv1 (1x1 reduce to planes) - bn1 - ReLU -
/// conv2 (3x3, stride) - bn2 - ReLU - conv3 (1x1 expand to 4 x planes) - bn3, plus the shortcut, then ReLU.
/// The paper strides the first 1x1 instead; torchvision's choice is more accurate and is what its weights expect.
/// Input [N, inChannels, H, W]; output [N, 4 x planes, H/stride, W/stride].
/// </summary>
public sealed class Bottleneck : ResidualBlock
{
    /// <summary>Output channels per plane.</summary>
    public const int Expansion = 4;

    /// <summary>Creates the block with torchvision's initialisation (Kaiming normal fan-out convs, BN 1/0).</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="planes">Channels of the inner 3x3 convolution; the block outputs 4 x planes.</param>
    /// <param name="stride">Stride of conv2 and of the shortcut (1 or 2).</param>
    /// <param name="random">Seeded source for the initial weights.</param>
    public Bottleneck(int inChannels, int planes, int stride, Random random)
    {
        int outChannels = planes * Expansion;
        Conv1 = AddModule("conv1", new Conv2d(inChannels, planes, 1, random, Conv2dOptions.Square(), bias: false));
        Bn1 = AddModule("bn1", new BatchNorm2d(planes));
        Conv2 = AddModule("conv2", new Conv2d(planes, planes, 3, random, Conv2dOptions.Square(stride, padding: 1), bias: false));
        Bn2 = AddModule("bn2", new BatchNorm2d(planes));
        Conv3 = AddModule("conv3", new Conv2d(planes, outChannels, 1, random, Conv2dOptions.Square(), bias: false));
        Bn3 = AddModule("bn3", new BatchNorm2d(outChannels));
        // Registered for torchvision's module list; the forward pass applies ReLU through Ops directly.
        AddModule("relu", new Activation(ActivationKind.ReLU));
        AddDownsampleIfNeeded(inChannels, outChannels, stride, random);
    }

    /// <summary>The 1x1 reduction.</summary>
    public Conv2d Conv1 { get; }

    /// <summary>BN after <see cref="Conv1"/>.</summary>
    public BatchNorm2d Bn1 { get; }

    /// <summary>The 3x3 convolution (carries the stride).</summary>
    public Conv2d Conv2 { get; }

    /// <summary>BN after <see cref="Conv2"/>.</summary>
    public BatchNorm2d Bn2 { get; }

    /// <summary>The 1x1 expansion.</summary>
    public Conv2d Conv3 { get; }

    /// <summary>BN after <see cref="Conv3"/>, before the addition.</summary>
    public BatchNorm2d Bn3 { get; }

    /// <inheritdoc />
    public override IEnumerable<(Conv2d Conv, BatchNorm2d Norm)> ConvBatchNormPairs() =>
        [(Conv1, Bn1), (Conv2, Bn2), (Conv3, Bn3), .. DownsamplePair()];

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var reduced = ConvNorm(Conv1, Bn1, input, relu: true);
        var spatial = ConvNorm(Conv2, Bn2, reduced, relu: true);
        ReleaseIntermediate(reduced);
        var output = ConvNormAddShortcutAndActivate(Conv3, Bn3, spatial, input);
        ReleaseIntermediate(spatial);
        return output;
    }
}
