using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Models.Inference;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// MobileNetV2's inverted residual (Sandler et al. 2018, Table 1): an expanding 1x1 conv (skipped when t = 1), a 3x3
/// depthwise conv carrying the stride, both with BN and ReLU6, then a linear 1x1 projection with BN. The input is added
/// when the stride is 1 and the channels agree. Child <c>conv</c> is a Sequential, as torchvision's, so keys read
/// <c>features.2.conv.0.0.weight</c> (expand), <c>conv.1.0</c> (depthwise), <c>conv.2</c> (projection), <c>conv.3</c> (its BN).
/// </summary>
internal sealed class MobileNetV2Block : Module
{
    private readonly Sequential _conv;

    public MobileNetV2Block(int inChannels, int outChannels, int stride, int expandRatio, Random random)
    {
        var norm = BatchNormSettings.PyTorchDefault;
        // torchvision rounds inp * t half to even; with integer t the product is already whole.
        int hidden = (int)Math.Round((double)inChannels * expandRatio, MidpointRounding.ToEven);
        UsesResidual = stride == 1 && inChannels == outChannels;
        _conv = AddModule("conv", new Sequential());
        if (expandRatio != 1)
            _conv.Append(new Conv2dNormActivation(inChannels, hidden, 1, random, norm, ActivationKind.ReLU6));
        _conv.Append(new Conv2dNormActivation(hidden, hidden, 3, random, norm, ActivationKind.ReLU6, stride: stride, groups: hidden));
        Projection = new Conv2d(hidden, outChannels, 1, random, Conv2dOptions.Square(), bias: false);
        ProjectionNorm = new BatchNorm2d(outChannels, norm.Eps, norm.Momentum);
        _conv.Append(Projection).Append(ProjectionNorm);
    }

    /// <summary>Whether the input is added to the output.</summary>
    public bool UsesResidual { get; }

    /// <summary>The linear 1x1 projection.</summary>
    public Conv2d Projection { get; }

    /// <summary>The projection's batch norm.</summary>
    public BatchNorm2d ProjectionNorm { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (ProjectionNorm.IsFoldedNow)
        {
            // The projection's folded convolution adds the input in its kernel: no separate add pass. On large planes the
            // expansion and the depthwise unit run image by image (PointwiseDepthwiseFusion).
            var hidden = PointwiseDepthwiseFusion.ForwardBranch(_conv, _conv.Count - 2, input);
            var output = Projection.ForwardActivated(hidden, ActivationKind.Identity, UsesResidual ? input : null);
            if (!ReferenceEquals(hidden, input)) ReleaseIntermediate(hidden);
            return output;
        }
        var branch = _conv.Forward(input);
        if (!UsesResidual) return branch;
        var sum = Ops.Add(input, branch);
        ReleaseIntermediate(branch);
        return sum;
    }
}
