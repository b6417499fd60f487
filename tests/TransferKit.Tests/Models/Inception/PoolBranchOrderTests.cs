using TransferKit.Autograd;
using TransferKit.Models.Inception;
using TransferKit.Models.Inference;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Tests.Models.Inception;

/// <summary>
/// Inception's pool branches convolve before pooling where their batch norm is folded
/// (<see cref="BasicConv2d.ForwardAfterAveragePool"/>): the blocks' outputs of torchvision's order up to float32 rounding,
/// on odd planes and at the pool's padded edges; and torchvision's order, bit for bit, where a tape records.
/// </summary>
public class PoolBranchOrderTests
{
    public static TheoryData<string, int> Blocks => new() { { "A", 9 }, { "C", 7 }, { "E", 5 } };

    [Theory]
    [MemberData(nameof(Blocks))]
    public void FoldedBlocksGiveTorchvisionsOutputs(string kind, int side)
    {
        using var block = Create(kind);
        FormulaWeights.Fill(block);
        block.Eval();
        foreach (var (_, parameter) in block.NamedParameters()) parameter.Trainable = false;
        using var scope = TensorScope.Begin();
        var input = FormulaWeights.Values("input", new Shape(2, 12, side, side));
        using var folding = BatchNormFolding.Fold(Pairs(block));
        var convFirst = Run(block, input, poolsAfter: true);
        var torch = Run(block, input, poolsAfter: false);
        NumericAssert.Close(torch, convFirst, 1e-5f, 1e-6f, $"Inception{kind} output");
        Assert.False(torch.AsSpan().SequenceEqual(convFirst), "the folded block should have convolved before pooling");
    }

    [Fact]
    public void ARecordingTapeKeepsTorchvisionsOrder()
    {
        using var block = Create("A");
        FormulaWeights.Fill(block);
        block.Eval();
        using var scope = TensorScope.Begin();
        var input = FormulaWeights.Values("input", new Shape(1, 12, 6, 6));
        float[] Recorded(bool poolsAfter)
        {
            using var tape = Tape.Begin();
            var x = Tensor.FromSpan(input.ToArray(), input.Shape);
            x.RequiresGrad = true;
            return Run(block, x, poolsAfter);
        }
        Assert.Equal(Recorded(poolsAfter: false), Recorded(poolsAfter: true));
    }

    private static InceptionBlock Create(string kind) => kind switch
    {
        "A" => new InceptionA(12, 5, new Random(1)),
        "C" => new InceptionC(12, 6, new Random(1)),
        _ => new InceptionE(12, new Random(1)),
    };

    private static IEnumerable<(Conv2d Conv, BatchNorm2d Norm)> Pairs(Module block) =>
        block.NamedModules().Select(m => m.Value).OfType<BasicConv2d>().Select(b => (b.Conv, b.Bn)).ToList();

    private static float[] Run(Module block, Tensor input, bool poolsAfter)
    {
        bool before = BasicConv2d.PoolsAfterConvolution;
        try
        {
            BasicConv2d.PoolsAfterConvolution = poolsAfter;
            return block.Forward(input).ToArray();
        }
        finally
        {
            BasicConv2d.PoolsAfterConvolution = before;
        }
    }
}
