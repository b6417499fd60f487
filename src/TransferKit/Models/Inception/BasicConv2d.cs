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

    /// <summary>
    /// This unit on the average pool of <paramref name="input"/>, as Inception's pool branches use it. Where the batch norm
    /// is folded for this call, nothing traces ops and the convolution is 1x1, the convolution runs first, without its
    /// bias, and the pool on its output, then the bias and ReLU: the pool acts on pixels and the convolution on channels, both
    /// linearly, so the order changes only float32 rounding, and the pool then runs on this unit's 32 to 192 output
    /// channels instead of the 192 to 2,048 input ones. Elsewhere (training, export) the pool runs first, as in torchvision.
    /// </summary>
    /// <param name="input">[N, in, H, W].</param>
    /// <param name="pool">The average pool's options.</param>
    /// <returns>[N, out, pooled height, pooled width].</returns>
    internal Tensor ForwardAfterAveragePool(Tensor input, Pool2dOptions pool)
    {
        var o = Conv.Options;
        bool pointwise = Conv.Weight.Value.Shape[2] == 1 && Conv.Weight.Value.Shape[3] == 1 && o.StrideHeight == 1 && o.StrideWidth == 1
            && o.PadHeight == 0 && o.PadWidth == 0 && o.Groups == 1;
        if (!PoolsAfterConvolution || !pointwise || OpTrace.Current is not null || Conv.FoldedParameters?.Invoke() is not var (weight, bias, prepared))
        {
            var pooled = Ops.AvgPool2d(input, pool);
            var output = Forward(pooled);
            ReleaseIntermediate(pooled);
            return output;
        }
        Tensor mixed;
        using (prepared.Use(weight)) mixed = Ops.Conv2d(input, weight, null, o);
        var result = Ops.AvgPool2dBiasActivation(mixed, pool, bias, ActivationKind.ReLU);
        ReleaseIntermediate(mixed);
        return result;
    }

    /// <summary>
    /// Whether <see cref="ForwardAfterAveragePool"/> may convolve before pooling; benchmarks and tests turn it off to compare.
    /// </summary>
    internal static bool PoolsAfterConvolution { get; set; } = true;

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
