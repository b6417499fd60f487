using TransferKit.Autograd;
using TransferKit.Tensors;

namespace TransferKit.Models.Inception;

/// <summary>
/// The 8x8 module with expanded filter banks (torchvision's <c>InceptionE</c>; Szegedy et al. 2016, Figure 7):
/// branches 1x1 (320); 1x1 (384) then 1x3 and 3x1 side by side (384 + 384); 1x1 (448), 3x3 (384), then 1x3 and 3x1
/// side by side (384 + 384); 3x3 average pool then 1x1 (192). Output 2048 channels at the input's resolution.
/// </summary>
public sealed class InceptionE : InceptionBlock
{
    /// <summary>Creates the module.</summary>
    /// <param name="inChannels">Input channels (1280 in Mixed_7b, 2048 in Mixed_7c).</param>
    /// <param name="random">Seeded source for the initial weights.</param>
    public InceptionE(int inChannels, Random random)
    {
        Branch1x1 = AddModule("branch1x1", new BasicConv2d(inChannels, 320, 1, random));
        Branch3x3Reduce = AddModule("branch3x3_1", new BasicConv2d(inChannels, 384, 1, random));
        Branch3x3Wide = AddModule("branch3x3_2a", Factorised(384, 384, 1, 3, random));
        Branch3x3Tall = AddModule("branch3x3_2b", Factorised(384, 384, 3, 1, random));
        Branch3x3DoubleReduce = AddModule("branch3x3dbl_1", new BasicConv2d(inChannels, 448, 1, random));
        Branch3x3DoubleFirst = AddModule("branch3x3dbl_2", new BasicConv2d(448, 384, 3, random, padding: 1));
        Branch3x3DoubleWide = AddModule("branch3x3dbl_3a", Factorised(384, 384, 1, 3, random));
        Branch3x3DoubleTall = AddModule("branch3x3dbl_3b", Factorised(384, 384, 3, 1, random));
        BranchPool = AddModule("branch_pool", new BasicConv2d(inChannels, 192, 1, random));
    }

    /// <summary><c>branch1x1</c>.</summary>
    public BasicConv2d Branch1x1 { get; }

    /// <summary><c>branch3x3_1</c>.</summary>
    public BasicConv2d Branch3x3Reduce { get; }

    /// <summary><c>branch3x3_2a</c> (1x3).</summary>
    public BasicConv2d Branch3x3Wide { get; }

    /// <summary><c>branch3x3_2b</c> (3x1).</summary>
    public BasicConv2d Branch3x3Tall { get; }

    /// <summary><c>branch3x3dbl_1</c>.</summary>
    public BasicConv2d Branch3x3DoubleReduce { get; }

    /// <summary><c>branch3x3dbl_2</c>.</summary>
    public BasicConv2d Branch3x3DoubleFirst { get; }

    /// <summary><c>branch3x3dbl_3a</c> (1x3).</summary>
    public BasicConv2d Branch3x3DoubleWide { get; }

    /// <summary><c>branch3x3dbl_3b</c> (3x1).</summary>
    public BasicConv2d Branch3x3DoubleTall { get; }

    /// <summary><c>branch_pool</c>.</summary>
    public BasicConv2d BranchPool { get; }

    /// <inheritdoc />
    public override int OutChannels => 320 + 2 * 384 + 2 * 384 + 192;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var b1 = Branch1x1.Forward(input);
        var b3 = Split(Branch3x3Reduce.Forward(input), Branch3x3Wide, Branch3x3Tall);
        var bd = Split(Chain(input, Branch3x3DoubleReduce, Branch3x3DoubleFirst), Branch3x3DoubleWide, Branch3x3DoubleTall);
        var bp = BranchPool.ForwardAfterAveragePool(input, SamePoolOptions);
        return ConcatBranches(b1, b3, bd, bp);
    }

    /// <summary>Runs the 1x3 and 3x1 units side by side on <paramref name="stem"/> and concatenates them; releases the stem.</summary>
    private static Tensor Split(Tensor stem, BasicConv2d wide, BasicConv2d tall)
    {
        var a = wide.Forward(stem);
        var b = tall.Forward(stem);
        ReleaseIntermediate(stem);
        return ConcatBranches(a, b);
    }
}
