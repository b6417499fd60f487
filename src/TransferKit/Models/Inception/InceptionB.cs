using TransferKit.Autograd;
using TransferKit.Tensors;

namespace TransferKit.Models.Inception;

/// <summary>
/// The 35x35 to 17x17 grid reduction (torchvision's <c>InceptionB</c>; Szegedy et al. 2016, Figure 10): branches 3x3
/// stride 2 (384); 1x1 (64), 3x3 (96), 3x3 stride 2 (96); 3x3 stride 2 max pool. Output channels 480 + in,
/// spatial (H - 3) / 2 + 1.
/// </summary>
public sealed class InceptionB : InceptionBlock
{
    private readonly int _inChannels;

    /// <summary>Creates the module.</summary>
    /// <param name="inChannels">Input channels (288 in Mixed_6a).</param>
    /// <param name="random">Seeded source for the initial weights.</param>
    public InceptionB(int inChannels, Random random)
    {
        _inChannels = inChannels;
        Branch3x3 = AddModule("branch3x3", new BasicConv2d(inChannels, 384, 3, random, stride: 2));
        Branch3x3DoubleReduce = AddModule("branch3x3dbl_1", new BasicConv2d(inChannels, 64, 1, random));
        Branch3x3DoubleFirst = AddModule("branch3x3dbl_2", new BasicConv2d(64, 96, 3, random, padding: 1));
        Branch3x3DoubleSecond = AddModule("branch3x3dbl_3", new BasicConv2d(96, 96, 3, random, stride: 2));
    }

    /// <summary><c>branch3x3</c>.</summary>
    public BasicConv2d Branch3x3 { get; }

    /// <summary><c>branch3x3dbl_1</c>.</summary>
    public BasicConv2d Branch3x3DoubleReduce { get; }

    /// <summary><c>branch3x3dbl_2</c>.</summary>
    public BasicConv2d Branch3x3DoubleFirst { get; }

    /// <summary><c>branch3x3dbl_3</c>.</summary>
    public BasicConv2d Branch3x3DoubleSecond { get; }

    /// <inheritdoc />
    public override int OutChannels => 384 + 96 + _inChannels;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var b3 = Branch3x3.Forward(input);
        var bd = Chain(input, Branch3x3DoubleReduce, Branch3x3DoubleFirst, Branch3x3DoubleSecond);
        var bp = Ops.MaxPool2d(input, ReductionPoolOptions);
        return ConcatBranches(b3, bd, bp);
    }
}
