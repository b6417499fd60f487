using TransferKit.Autograd;
using TransferKit.Kernels.Convolution;
using TransferKit.Models;
using TransferKit.Models.Inception;
using TransferKit.Models.Inference;
using TransferKit.Tensors;
using TransferKit.Tests.Models.Inception;

namespace TransferKit.Tests.Models.Inference;

/// <summary>
/// The stems (convolution, folded batch norm, ReLU, max pool; Inception-v3's third convolution and its pool) run as
/// one pooled convolution (<see cref="ConvolutionPoolFusion"/>): the same logits, bit for bit, as the layers one by
/// one, and only where the batch norm is folded for the call.
/// </summary>
public class ConvolutionPoolFusionTests
{
    public static TheoryData<string> Networks => new() { "resnet", "densenet", "inception" };

    [Theory]
    [MemberData(nameof(Networks))]
    public void FoldedStemsGiveTheBitsOfTheLayersOneByOne(string network)
    {
        using var model = Create(network);
        FormulaWeights.Fill(model);
        model.Eval();
        using var folding = BatchNormFolding.FoldForInference(model);
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        int size = network == "inception" ? 75 : 45;
        var input = FormulaWeights.Values("input", new Shape(3, 3, size, size));
        var stem = model.Units[0].Modules;
        // Winograd F(4x4, 3x3) takes Inception's 32->64 stem layer before the direct kernel could pool inside it.
        bool winograd4x4 = Conv2dKernel.Winograd4x4InAuto;
        // The pool fuses into the direct kernel, which needs AVX-512 or AVX2; elsewhere the stems run layer by layer. On
        // AVX2 Auto takes it for the 7x7 stems but not for Inception's 3x3.
        bool direct = DirectConv2d.Supports(new Conv2dGeometry(1, 3, size, size, 8, 7, 7, 2, 2, 3, 3));
        bool inceptionDirect = direct && DirectConv2d.Wide;
        try
        {
            if (network == "inception")
            {
                var before = stem[1].Forward(stem[0].Forward(input));
                Assert.Equal(0, ConvolutionPoolFusion.TryForward(stem, 2, before, out _));
                Conv2dKernel.Winograd4x4InAuto = false;
                // Conv2d_2b_3x3 and maxpool1 fuse; Conv2d_4a_3x3 (80 input channels, unpadded) is not on the direct kernel.
                Assert.Equal(inceptionDirect ? 2 : 0, ConvolutionPoolFusion.TryForward(stem, 2, before, out var fusedPool));
                if (inceptionDirect) Assert.Equal(stem[3].Forward(stem[2].Forward(before)).Shape, fusedPool!.Shape);
                else fusedPool = stem[3].Forward(stem[2].Forward(before));
                Assert.Equal(0, ConvolutionPoolFusion.TryForward(stem, 5, stem[4].Forward(fusedPool), out _));
            }
            else
            {
                Assert.Equal(direct ? stem.Count : 0, ConvolutionPoolFusion.TryForward(stem, 0, input, out var pooled));
                if (direct) Assert.Equal(pooled!.Shape, model.ForwardUnits(input, 0, 1).Shape);
            }
            float[] fused = Logits(model, input, poolInside: true), apart = Logits(model, input, poolInside: false);
            Assert.Equal(apart, fused);
        }
        finally
        {
            Conv2dKernel.Winograd4x4InAuto = winograd4x4;
        }
    }

    [Fact]
    public void AStemWhoseBatchNormIsNotFoldedRunsLayerByLayer()
    {
        using var model = Create("resnet");
        FormulaWeights.Fill(model);
        model.Eval();
        using var scope = TensorScope.Begin();
        var input = FormulaWeights.Values("input", new Shape(2, 3, 33, 33));
        Assert.Equal(0, ConvolutionPoolFusion.TryForward(model.Units[0].Modules, 0, input, out var unfolded));
        Assert.Null(unfolded);
        using var folding = BatchNormFolding.FoldForInference(model);
        input.RequiresGrad = true;
        using var tape = Tape.Begin();
        Assert.Equal(0, ConvolutionPoolFusion.TryForward(model.Units[0].Modules, 0, input, out var recorded));
        Assert.Null(recorded);
    }

    private static ConvNet Create(string network) => network switch
    {
        "resnet" => new ResNet(new ResNetConfig(ResNetBlockKind.Basic, [1, 1, 1, 1], Width: 7), classes: 4),
        "densenet" => new DenseNet(new DenseNetConfig(GrowthRate: 5, BlockConfig: [2, 3], InitFeatures: 11, BottleneckSize: 3), classes: 4),
        _ => new InceptionV3(new InceptionV3Options { Classes = 4, AuxLogits = false }),
    };

    private static float[] Logits(ConvNet model, Tensor input, bool poolInside)
    {
        bool saved = Conv2dKernel.PoolsInsideConvolution;
        Conv2dKernel.PoolsInsideConvolution = poolInside;
        try
        {
            using var logits = model.Forward(input);
            return logits.ToArray();
        }
        finally
        {
            Conv2dKernel.PoolsInsideConvolution = saved;
        }
    }
}
