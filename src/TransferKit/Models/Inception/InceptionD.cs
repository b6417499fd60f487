using TransferKit.Autograd;
using TransferKit.Tensors;

namespace TransferKit.Models.Inception;

/// <summary>
/// The 17x17 to 8x8 grid reduction (torchvision's <c>InceptionD</c>): branches 1x1 (192), 3x3 stride 2 (320);
/// 1x1 (192), 1x7, 7x1 (192), 3x3 stride 2 (192); 3x3 stride 2 max pool. Output channels 512 + in,
/// spatial (H - 3) / 2 + 1.
/// </summary>
public sealed class InceptionD : InceptionBlock
{
    private readonly int _inChannels;

    /// <summary>Creates the module.</summary>
    /// <param name="inChannels">Input channels (768 in Mixed_7a).</param>
    /// <param name="random">Seeded source for the initial weights.</param>
    public InceptionD(int inChannels, Random random)
    {
        _inChannels = inChannels;
        Branch3x3 =
        [
            AddModule("branch3x3_1", new BasicConv2d(inChannels, 192, 1, random)),
            AddModule("branch3x3_2", new BasicConv2d(192, 320, 3, random, stride: 2)),
        ];
        Branch7x7x3 =
        [
            AddModule("branch7x7x3_1", new BasicConv2d(inChannels, 192, 1, random)),
            AddModule("branch7x7x3_2", Factorised(192, 192, 1, 7, random)),
            AddModule("branch7x7x3_3", Factorised(192, 192, 7, 1, random)),
            AddModule("branch7x7x3_4", new BasicConv2d(192, 192, 3, random, stride: 2)),
        ];
    }

    /// <summary><c>branch3x3_1</c>, <c>branch3x3_2</c>.</summary>
    public IReadOnlyList<BasicConv2d> Branch3x3 { get; }

    /// <summary><c>branch7x7x3_1</c> to <c>branch7x7x3_4</c>, in order.</summary>
    public IReadOnlyList<BasicConv2d> Branch7x7x3 { get; }

    /// <inheritdoc />
    public override int OutChannels => 320 + 192 + _inChannels;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var b3 = Chain(input, [.. Branch3x3]);
        var b7 = Chain(input, [.. Branch7x7x3]);
        var bp = Ops.MaxPool2d(input, ReductionPoolOptions);
        return ConcatBranches(b3, b7, bp);
    }
}
