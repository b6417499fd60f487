using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// The transition between dense blocks, torchvision's <c>_Transition</c>: norm - relu - conv (1x1, bias-free) - pool
/// (2x2 average, stride 2). Input [N, C, H, W]; output [N, outChannels, H/2, W/2].
/// </summary>
public sealed class DenseTransition : Module
{
    /// <summary>Creates the transition.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels (half the input in DenseNet-BC).</param>
    /// <param name="random">Seeded source for the initial weights.</param>
    public DenseTransition(int inChannels, int outChannels, Random random)
    {
        Norm = AddModule("norm", new BatchNorm2d(inChannels));
        AddModule("relu", new Activation(ActivationKind.ReLU));
        Conv = AddModule("conv", new Conv2d(inChannels, outChannels, 1, random, Conv2dOptions.Square(), bias: false));
        Pool = AddModule("pool", new AvgPool2d(2, 2));
    }

    /// <summary>BN of the input.</summary>
    public BatchNorm2d Norm { get; }

    /// <summary>The 1x1 compression.</summary>
    public Conv2d Conv { get; }

    /// <summary>The 2x2 average pool.</summary>
    public AvgPool2d Pool { get; }

    /// <summary>
    /// Pools before the convolution: a 1x1 convolution maps each pixel on its own, linearly, so it commutes with the 2x2
    /// average (the same value up to float32 rounding, and the same gradients), and on the pooled quarter of the
    /// pixels it costs a quarter of the work. <see cref="UsesTorchOrder"/> restores torchvision's order.
    /// </summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (UsesTorchOrder)
        {
            var compressed = DenseLayer.NormReluConv(Norm, Conv, input);
            var pooledOutput = Pool.Forward(compressed);
            ReleaseIntermediate(compressed);
            return pooledOutput;
        }
        // In inference the batch norm and ReLU run inside the pool, which reads each cell once.
        var pooled = NormalizesInPool && !Norm.IsTraining
            ? Ops.TryAvgPool2dOfBatchNormRelu(input, Norm.Weight.Value, Norm.Bias.Value, Norm.RunningMean, Norm.RunningVar, Norm.Eps, Pool.Options)
            : null;
        if (pooled is null)
        {
            var activated = Norm.ForwardActivated(input, ActivationKind.ReLU);
            pooled = Pool.Forward(activated);
            ReleaseIntermediate(activated);
        }
        var output = Conv.Forward(pooled);
        ReleaseIntermediate(pooled);
        return output;
    }

    /// <summary>Whether inference applies the batch norm and ReLU inside the pool; benchmarks and tests turn it off to compare.</summary>
    internal static bool NormalizesInPool { get; set; } = true;

    /// <summary>Whether transitions convolve before pooling, as torchvision does; benchmarks and tests turn it on to compare.</summary>
    internal static bool UsesTorchOrder { get; set; }
}
