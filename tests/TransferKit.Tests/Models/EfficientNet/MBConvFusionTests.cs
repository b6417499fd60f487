using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Models.Inference;
using TransferKit.Nn;
using TransferKit.Tensors;
using TransferKit.Tests.Models.Inception;

namespace TransferKit.Tests.Models;

/// <summary>
/// MBConv blocks with their squeeze-and-excitation gate and residual add inside the folded projection's kernel
/// (<see cref="MBConv.FusesGateAndResidual"/>) against the separate ops: the same bits with and without a residual,
/// on planes run side by side and image by image and on one-pixel planes (where the kernel does not apply), and with the
/// expansion and the depthwise convolution image by image on 112x112 or over the whole batch; and the
/// separate ops wherever a tape records.
/// </summary>
public class MBConvFusionTests
{
    // (expand ratio, kernel, stride, in, out, batch, side)
    public static TheoryData<double, int, int, int, int, int, int> Blocks => new()
    {
        { 6, 3, 1, 16, 16, 3, 14 },
        { 6, 5, 2, 16, 24, 2, 15 },
        { 1, 3, 1, 24, 24, 16, 7 },
        { 6, 3, 1, 8, 8, 2, 1 },
        { 4, 5, 1, 12, 20, 1, 28 },
        { 6, 3, 2, 16, 24, 2, 112 },
    };

    [Theory]
    [MemberData(nameof(Blocks))]
    public void FoldedBlocksGiveTheSeparateOpsBits(double expand, int kernel, int stride, int inChannels, int outChannels, int batch, int side)
    {
        using var block = Create(expand, kernel, stride, inChannels, outChannels);
        using var scope = TensorScope.Begin();
        var input = FormulaWeights.Values("input", new Shape(batch, inChannels, side, side));
        using var folding = BatchNormFolding.Fold(Pairs(block));
        float[] fused = Run(block, input, fuses: true), separate = Run(block, input, fuses: false);
        float[] wholeBatch;
        bool before = TransferKit.Kernels.Convolution.Conv2dKernel.PointwiseDepthwiseImageByImage;
        try
        {
            TransferKit.Kernels.Convolution.Conv2dKernel.PointwiseDepthwiseImageByImage = false;
            wholeBatch = Run(block, input, fuses: true);
        }
        finally
        {
            TransferKit.Kernels.Convolution.Conv2dKernel.PointwiseDepthwiseImageByImage = before;
        }
        Assert.Equal(wholeBatch, fused);
        Assert.Equal(separate.Length, fused.Length);
        for (int i = 0; i < fused.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(separate[i]) == BitConverter.SingleToInt32Bits(fused[i]),
                $"output {i}: {fused[i]:R} fused, {separate[i]:R} separate");
    }

    [Fact]
    public void ARecordingTapeRunsTheSeparateOps()
    {
        using var block = Create(6, 3, 1, 16, 16);
        using var scope = TensorScope.Begin();
        var input = FormulaWeights.Values("input", new Shape(2, 16, 9, 9));
        using var folding = BatchNormFolding.Fold(Pairs(block));
        float[] noTape = Run(block, input, fuses: true);
        using var tape = Tape.Begin();
        var x = Tensor.FromSpan(input.ToArray(), input.Shape);
        x.RequiresGrad = true;
        var output = block.Forward(x);
        tape.Backward(Ops.CrossEntropy(Ops.Flatten(output), [1, 3]));
        Assert.NotNull(x.Grad);
        Assert.Contains(x.Grad!.ToArray(), g => g != 0f);
        NumericAssert.Close(noTape, output.ToArray(), 1e-5f, 1e-6f, "recorded output");
    }

    private static MBConv Create(double expand, int kernel, int stride, int inChannels, int outChannels)
    {
        var block = new MBConv(expand, kernel, stride, inChannels, outChannels, 0.2f, 7, BatchNormSettings.PyTorchDefault, new Random(3));
        FormulaWeights.Fill(block);
        block.Eval();
        foreach (var (_, parameter) in block.NamedParameters()) parameter.Trainable = false;
        return block;
    }

    private static IEnumerable<(Conv2d Conv, BatchNorm2d Norm)> Pairs(Module block) =>
        block.NamedModules().Select(m => m.Value).OfType<Conv2dNormActivation>().Select(c => (c.Conv, c.Norm)).ToList();

    private static float[] Run(MBConv block, Tensor input, bool fuses)
    {
        bool before = MBConv.FusesGateAndResidual;
        try
        {
            MBConv.FusesGateAndResidual = fuses;
            using var noGrad = GradMode.NoGrad();
            return block.Forward(input).ToArray();
        }
        finally
        {
            MBConv.FusesGateAndResidual = before;
        }
    }
}
