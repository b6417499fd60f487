using TransferKit.Autograd;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models.Inception;

/// <summary>
/// A multi-branch Inception module (Szegedy et al. 2016, "Rethinking the Inception Architecture for Computer Vision",
/// Figures 5 to 7 and 10): parallel branches of <see cref="BasicConv2d"/> units and pooling whose outputs are
/// concatenated along the channels in torchvision's branch order. Input [N, in, H, W]; output [N, <see cref="OutChannels"/>, OH, OW].
/// </summary>
public abstract class InceptionBlock : Module
{
    /// <summary>Channels of the concatenated output.</summary>
    public abstract int OutChannels { get; }

    /// <summary>Runs <paramref name="units"/> in order from <paramref name="input"/>, releasing the intermediates (not the input).</summary>
    protected static Tensor Chain(Tensor input, params BasicConv2d[] units)
    {
        Tensor current = input;
        foreach (var unit in units)
        {
            var next = unit.Forward(current);
            if (!ReferenceEquals(current, input)) ReleaseIntermediate(current);
            current = next;
        }
        return current;
    }

    /// <summary>Concatenates the branch outputs along the channels and releases them.</summary>
    protected static Tensor ConcatBranches(params Tensor[] branches)
    {
        var output = Ops.Concat(branches);
        foreach (var branch in branches) ReleaseIntermediate(branch);
        return output;
    }

    /// <summary>The 3x3, stride 1, padding 1 average pool in front of the pooling branch (padding counted, as torchvision).</summary>
    protected static Pool2dOptions SamePoolOptions => Pool2dOptions.Square(3, 1, 1);

    /// <summary>The 3x3, stride 2 max pool of the grid-reduction blocks.</summary>
    protected static Pool2dOptions ReductionPoolOptions => Pool2dOptions.Square(3, 2);

    /// <summary>A unit with a (kh, kw) kernel, stride 1 and "same" padding (kh/2, kw/2): the factorised 1xn and nx1 convolutions.</summary>
    protected static BasicConv2d Factorised(int inChannels, int outChannels, int kernelHeight, int kernelWidth, Random random) =>
        new(inChannels, outChannels, (kernelHeight, kernelWidth), random,
            new Conv2dOptions(PadHeight: kernelHeight / 2, PadWidth: kernelWidth / 2));
}
