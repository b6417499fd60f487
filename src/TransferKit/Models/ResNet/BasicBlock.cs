using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// ResNet-18/34's block: conv1 (3x3, stride) - bn1 - ReLU - conv2 (3x3) - bn2, plus the shortcut, then ReLU.
/// Keys: <c>conv1.weight</c>, <c>bn1.*</c>, <c>conv2.weight</c>, <c>bn2.*</c>, and <c>downsample.0/1.*</c> when projecting.
/// Input [N, inChannels, H, W]; output [N, planes, H/stride, W/stride].
/// </summary>
public sealed class BasicBlock : ResidualBlock
{
    /// <summary>Creates the block with torchvision's initialisation (Kaiming normal fan-out convs, BN 1/0).</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="planes">Output channels.</param>
    /// <param name="stride">Stride of conv1 and of the shortcut (1 or 2).</param>
    /// <param name="random">Seeded source for the initial weights.</param>
    public BasicBlock(int inChannels, int planes, int stride, Random random)
    {
        Conv1 = AddModule("conv1", new Conv2d(inChannels, planes, 3, random, Conv2dOptions.Square(stride, padding: 1), bias: false));
        Bn1 = AddModule("bn1", new BatchNorm2d(planes));
        // Registered for torchvision's module list; the forward pass applies ReLU through Ops directly.
        AddModule("relu", new Activation(ActivationKind.ReLU));
        Conv2 = AddModule("conv2", new Conv2d(planes, planes, 3, random, Conv2dOptions.Square(padding: 1), bias: false));
        Bn2 = AddModule("bn2", new BatchNorm2d(planes));
        AddDownsampleIfNeeded(inChannels, planes, stride, random);
    }

    /// <summary>The first 3x3 convolution (carries the stride).</summary>
    public Conv2d Conv1 { get; }

    /// <summary>BN after <see cref="Conv1"/>.</summary>
    public BatchNorm2d Bn1 { get; }

    /// <summary>The second 3x3 convolution.</summary>
    public Conv2d Conv2 { get; }

    /// <summary>BN after <see cref="Conv2"/>, before the addition.</summary>
    public BatchNorm2d Bn2 { get; }

    /// <inheritdoc />
    public override IEnumerable<(Conv2d Conv, BatchNorm2d Norm)> ConvBatchNormPairs() =>
        [(Conv1, Bn1), (Conv2, Bn2), .. DownsamplePair()];

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var hidden = ConvNorm(Conv1, Bn1, input, relu: true);
        var output = ConvNormAddShortcutAndActivate(Conv2, Bn2, hidden, input);
        ReleaseIntermediate(hidden);
        return output;
    }
}
