using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// One DenseNet-BC layer, torchvision's <c>_DenseLayer</c>: norm1 - relu1 - conv1 (1x1 to bottleneck x growth) - norm2 -
/// relu2 - conv2 (3x3, padding 1, to growth). Input: the concatenation of the block input and all earlier layers'
/// outputs [N, C, H, W]; output: the new features [N, growth, H, W].
/// </summary>
public sealed class DenseLayer : Module
{
    /// <summary>Creates the layer (convolutions bias-free; weights are set by <see cref="DenseNet"/>'s initialisation).</summary>
    /// <param name="inChannels">Channels of the concatenated input.</param>
    /// <param name="growthRate">Output channels.</param>
    /// <param name="bottleneckSize">The 1x1 convolution outputs bottleneckSize x growthRate channels.</param>
    /// <param name="random">Seeded source for the initial weights.</param>
    public DenseLayer(int inChannels, int growthRate, int bottleneckSize, Random random)
    {
        int bottleneck = bottleneckSize * growthRate;
        Norm1 = AddModule("norm1", new BatchNorm2d(inChannels));
        AddModule("relu1", new Activation(ActivationKind.ReLU));
        Conv1 = AddModule("conv1", new Conv2d(inChannels, bottleneck, 1, random, Conv2dOptions.Square(), bias: false));
        Norm2 = AddModule("norm2", new BatchNorm2d(bottleneck));
        AddModule("relu2", new Activation(ActivationKind.ReLU));
        Conv2 = AddModule("conv2", new Conv2d(bottleneck, growthRate, 3, random, Conv2dOptions.Square(padding: 1), bias: false));
    }

    /// <summary>BN of the concatenated input.</summary>
    public BatchNorm2d Norm1 { get; }

    /// <summary>The 1x1 bottleneck convolution.</summary>
    public Conv2d Conv1 { get; }

    /// <summary>BN directly after <see cref="Conv1"/>.</summary>
    public BatchNorm2d Norm2 { get; }

    /// <summary>The 3x3 convolution producing the new features.</summary>
    public Conv2d Conv2 { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ForwardActivated(Norm1.ForwardActivated(input, ActivationKind.ReLU));
    }

    /// <summary>
    /// The layer on the first <paramref name="channels"/> channels of its block's growing feature tensor
    /// [N, C, H, W]. Where its second batch norm is folded into its 1x1 convolution, that convolution normalises its
    /// input as its GEMM packs it (<see cref="Ops.TryConv2dOfBatchNormReluPrefix"/>), so the first batch norm's output,
    /// as large as the features read, is never written out and read back (about a tenth of DenseNet-121's forward time
    /// at batch 16). Otherwise the batch norm and ReLU run as their own pass first.
    /// </summary>
    internal Tensor ForwardFromPrefix(Tensor features, int channels)
    {
        if (NormalizesInProduct && Norm2.IsFoldedNow && Conv1.FoldedParameters?.Invoke() is var (weight, bias, prepared))
        {
            Tensor? hidden;
            using (prepared.Use(weight))
                hidden = Ops.TryConv2dOfBatchNormReluPrefix(features, channels, Norm1.Weight.Value, Norm1.Bias.Value, Norm1.RunningMean,
                    Norm1.RunningVar, Norm1.Eps, weight, bias, Conv1.Options, ActivationKind.ReLU);
            if (hidden is not null)
            {
                var result = Conv2.Forward(hidden);
                ReleaseIntermediate(hidden);
                return result;
            }
        }
        var activated = Ops.BatchNormReluOfPrefix(features, channels, Norm1.Weight.Value, Norm1.Bias.Value, Norm1.RunningMean, Norm1.RunningVar, Norm1.Eps);
        return ForwardActivated(activated);
    }

    /// <summary>
    /// Whether <see cref="ForwardFromPrefix"/> may normalise inside the 1x1 convolution's GEMM; benchmarks and tests turn
    /// it off to compare.
    /// </summary>
    internal static bool NormalizesInProduct { get; set; } = true;

    /// <summary>
    /// The layer after its first batch norm and ReLU: the 1x1 convolution, the second batch norm and ReLU, the 3x3
    /// convolution. <paramref name="activated"/> is released once read.
    /// </summary>
    internal Tensor ForwardActivated(Tensor activated)
    {
        // With Norm2 folded into Conv1, its ReLU runs inside Conv1's kernel and Conv2 reads the result directly.
        if (Norm2.IsFoldedNow)
        {
            var hidden = Conv1.ForwardActivated(activated, ActivationKind.ReLU);
            ReleaseIntermediate(activated);
            var result = Conv2.Forward(hidden);
            ReleaseIntermediate(hidden);
            return result;
        }
        var bottleneck = Conv1.Forward(activated);
        ReleaseIntermediate(activated);
        var output = NormReluConv(Norm2, Conv2, bottleneck);
        ReleaseIntermediate(bottleneck);
        return output;
    }

    /// <summary>BN, ReLU, conv (DenseNet's pre-activation order); intermediates are released.</summary>
    internal static Tensor NormReluConv(BatchNorm2d norm, Conv2d conv, Tensor input)
    {
        var activated = norm.ForwardActivated(input, ActivationKind.ReLU);
        var output = conv.Forward(activated);
        ReleaseIntermediate(activated);
        return output;
    }
}
