using TransferKit.Autograd;
using TransferKit.Tensors;

namespace TransferKit.Models.Inception;

/// <summary>
/// The 17x17 module with factorised 7x7 convolutions (torchvision's <c>InceptionC</c>; Szegedy et al. 2016, Figure 6
/// with n = 7): branches 1x1 (192); 1x1 (c7), 1x7 (c7), 7x1 (192); 1x1 (c7), 7x1, 1x7, 7x1 (c7), 1x7 (192);
/// 3x3 average pool then 1x1 (192). Output 768 channels at the input's resolution.
/// </summary>
public sealed class InceptionC : InceptionBlock
{
    /// <summary>Creates the module.</summary>
    /// <param name="inChannels">Input channels (768 in Mixed_6b to Mixed_6e).</param>
    /// <param name="channels7x7">Width c7 inside the factorised branches (128, 160, 160, 192 in Mixed_6b to Mixed_6e).</param>
    /// <param name="random">Seeded source for the initial weights.</param>
    public InceptionC(int inChannels, int channels7x7, Random random)
    {
        int c7 = channels7x7;
        Branch1x1 = AddModule("branch1x1", new BasicConv2d(inChannels, 192, 1, random));
        Branch7x7 =
        [
            AddModule("branch7x7_1", new BasicConv2d(inChannels, c7, 1, random)),
            AddModule("branch7x7_2", Factorised(c7, c7, 1, 7, random)),
            AddModule("branch7x7_3", Factorised(c7, 192, 7, 1, random)),
        ];
        Branch7x7Double =
        [
            AddModule("branch7x7dbl_1", new BasicConv2d(inChannels, c7, 1, random)),
            AddModule("branch7x7dbl_2", Factorised(c7, c7, 7, 1, random)),
            AddModule("branch7x7dbl_3", Factorised(c7, c7, 1, 7, random)),
            AddModule("branch7x7dbl_4", Factorised(c7, c7, 7, 1, random)),
            AddModule("branch7x7dbl_5", Factorised(c7, 192, 1, 7, random)),
        ];
        BranchPool = AddModule("branch_pool", new BasicConv2d(inChannels, 192, 1, random));
    }

    /// <summary><c>branch1x1</c>.</summary>
    public BasicConv2d Branch1x1 { get; }

    /// <summary><c>branch7x7_1</c> to <c>branch7x7_3</c>, in order.</summary>
    public IReadOnlyList<BasicConv2d> Branch7x7 { get; }

    /// <summary><c>branch7x7dbl_1</c> to <c>branch7x7dbl_5</c>, in order.</summary>
    public IReadOnlyList<BasicConv2d> Branch7x7Double { get; }

    /// <summary><c>branch_pool</c>.</summary>
    public BasicConv2d BranchPool { get; }

    /// <inheritdoc />
    public override int OutChannels => 4 * 192;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var b1 = Branch1x1.Forward(input);
        var b7 = Chain(input, [.. Branch7x7]);
        var bd = Chain(input, [.. Branch7x7Double]);
        var bp = BranchPool.ForwardAfterAveragePool(input, SamePoolOptions);
        return ConcatBranches(b1, b7, bd, bp);
    }
}
