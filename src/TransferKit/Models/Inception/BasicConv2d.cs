using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models.Inception;

/// <summary>
/// Inception's basic unit, as torchvision's <c>BasicConv2d</c>: a convolution without bias (<c>conv</c>), batch norm
/// with epsilon 0.001 (<c>bn</c>, the value of the TensorFlow checkpoint the weights come from), then ReLU.
/// Input [N, in, H, W]; output [N, out, OH, OW].
/// </summary>
public sealed class BasicConv2d : Module
{
    /// <summary>Epsilon of every batch norm in Inception v3 (torchvision builds <c>BatchNorm2d(out, eps=0.001)</c>).</summary>
    public const float BatchNormEps = 1e-3f;

    /// <summary>Creates the unit with a square kernel.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">Kernel side.</param>
    /// <param name="random">Seeded source for the initial weights.</param>
    /// <param name="stride">Stride in both directions.</param>
    /// <param name="padding">Zero padding on every side.</param>
    public BasicConv2d(int inChannels, int outChannels, int kernelSize, Random random, int stride = 1, int padding = 0)
        : this(inChannels, outChannels, (kernelSize, kernelSize), random, Conv2dOptions.Square(stride, padding)) { }

    /// <summary>Creates the unit with a rectangular kernel (the factorised 1x7, 7x1, 1x3 and 3x1 convolutions).</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernel">Kernel height and width.</param>
    /// <param name="random">Seeded source for the initial weights.</param>
    /// <param name="options">Stride and padding.</param>
    public BasicConv2d(int inChannels, int outChannels, (int Height, int Width) kernel, Random random, Conv2dOptions options)
    {
        Conv = AddModule("conv", new Conv2d(inChannels, outChannels, kernel.Height, kernel.Width, random, options, bias: false));
        Bn = AddModule("bn", new BatchNorm2d(outChannels, BatchNormEps));
    }

    /// <summary>The convolution (no bias).</summary>
    public Conv2d Conv { get; }

    /// <summary>The batch norm after it.</summary>
    public BatchNorm2d Bn { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels => Bn.Channels;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (Bn.IsFoldedNow) return Conv.ForwardActivated(input, ActivationKind.ReLU);
        var convolved = Conv.Forward(input);
        var activated = Bn.ForwardActivated(convolved, ActivationKind.ReLU);
        ReleaseIntermediate(convolved);
        return activated;
    }
}
