using TransferKit.Autograd;
using TransferKit.Tensors;

namespace TransferKit.Models.Inception;

/// <summary>
/// The 35x35 module (torchvision's <c>InceptionA</c>; Szegedy et al. 2016, Figure 5 with the 5x5 branch kept as in the
/// released model): branches 1x1 (64); 1x1 (48) then 5x5 (64); 1x1 (64) then two 3x3 (96); 3x3 average pool then 1x1
/// (<c>poolFeatures</c>). Output channels 224 + poolFeatures at the input's resolution.
/// </summary>
public sealed class InceptionA : InceptionBlock
{
    /// <summary>Creates the module.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="poolFeatures">Output channels of the pooling branch (32 in Mixed_5b, 64 in Mixed_5c and Mixed_5d).</param>
    /// <param name="random">Seeded source for the initial weights.</param>
    public InceptionA(int inChannels, int poolFeatures, Random random)
    {
        Branch1x1 = AddModule("branch1x1", new BasicConv2d(inChannels, 64, 1, random));
        Branch5x5Reduce = AddModule("branch5x5_1", new BasicConv2d(inChannels, 48, 1, random));
        Branch5x5 = AddModule("branch5x5_2", new BasicConv2d(48, 64, 5, random, padding: 2));
        Branch3x3DoubleReduce = AddModule("branch3x3dbl_1", new BasicConv2d(inChannels, 64, 1, random));
        Branch3x3DoubleFirst = AddModule("branch3x3dbl_2", new BasicConv2d(64, 96, 3, random, padding: 1));
        Branch3x3DoubleSecond = AddModule("branch3x3dbl_3", new BasicConv2d(96, 96, 3, random, padding: 1));
        BranchPool = AddModule("branch_pool", new BasicConv2d(inChannels, poolFeatures, 1, random));
    }

    /// <summary><c>branch1x1</c>.</summary>
    public BasicConv2d Branch1x1 { get; }

    /// <summary><c>branch5x5_1</c>.</summary>
    public BasicConv2d Branch5x5Reduce { get; }

    /// <summary><c>branch5x5_2</c>.</summary>
    public BasicConv2d Branch5x5 { get; }

    /// <summary><c>branch3x3dbl_1</c>.</summary>
    public BasicConv2d Branch3x3DoubleReduce { get; }

    /// <summary><c>branch3x3dbl_2</c>.</summary>
    public BasicConv2d Branch3x3DoubleFirst { get; }

    /// <summary><c>branch3x3dbl_3</c>.</summary>
    public BasicConv2d Branch3x3DoubleSecond { get; }

    /// <summary><c>branch_pool</c>.</summary>
    public BasicConv2d BranchPool { get; }

    /// <inheritdoc />
    public override int OutChannels => 64 + 64 + 96 + BranchPool.OutChannels;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var b1 = Branch1x1.Forward(input);
        var b5 = Chain(input, Branch5x5Reduce, Branch5x5);
        var b3 = Chain(input, Branch3x3DoubleReduce, Branch3x3DoubleFirst, Branch3x3DoubleSecond);
        var bp = BranchPool.ForwardAfterAveragePool(input, SamePoolOptions);
        return ConcatBranches(b1, b5, b3, bp);
    }
}
