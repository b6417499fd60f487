using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Models.Inference;
using TransferKit.Tensors;
using TransferKit.Tests.Models.Inception;

namespace TransferKit.Tests.Models;

/// <summary>
/// Dense blocks grown in one preallocated tensor in inference (<see cref="DenseBlock.GrowsInPlace"/>) against the
/// layer-by-layer concatenation: the same bits with and without folded batch norms, and the concatenation (with its
/// gradients) wherever a tape records or a batch norm trains.
/// </summary>
public class DenseBlockGrowthTests
{
    private static readonly DenseNetConfig Small = new(GrowthRate: 5, BlockConfig: [3, 4], InitFeatures: 7, BottleneckSize: 3);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GrowingInPlaceGivesTheConcatenationsBits(bool folded)
    {
        using var model = new DenseNet(Small, classes: 4);
        FormulaWeights.Fill(model);
        model.Eval();
        using var folding = folded ? BatchNormFolding.FoldForInference(model) : null;
        using var scope = TensorScope.Begin();
        var input = FormulaWeights.Values("input", new Shape(3, 3, 37, 37));
        float[] grown = Logits(model, input, inPlace: true), concatenated = Logits(model, input, inPlace: false);
        Assert.Equal(concatenated.Length, grown.Length);
        for (int i = 0; i < grown.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(concatenated[i]) == BitConverter.SingleToInt32Bits(grown[i]),
                $"logit {i}: {grown[i]:R} grown in place, {concatenated[i]:R} concatenated");
    }

    [Fact]
    public void AnEvalForwardUnderATapeStillConcatenatesAndGivesGradients()
    {
        using var model = new DenseNet(Small, classes: 4);
        FormulaWeights.Fill(model);
        model.Eval();
        using var scope = TensorScope.Begin();
        var input = FormulaWeights.Values("input", new Shape(2, 3, 29, 29));
        input.RequiresGrad = true;
        float[] withoutTape = Logits(model, input, inPlace: true);
        using (var tape = Tape.Begin())
        {
            var logits = model.Forward(input);
            Assert.Equal(withoutTape, logits.ToArray());
            tape.Backward(Ops.CrossEntropy(logits, [1, 3]));
        }
        Assert.NotNull(input.Grad);
        Assert.Contains(input.Grad!.ToArray(), g => g != 0f);
        var firstLayer = (DenseBlock)model.Units.First(u => u.Name == "denseblock1").Modules.Single();
        Assert.Contains(firstLayer.Layers[0].Conv1.Weight.Grad!.ToArray(), g => g != 0f);
    }

    [Fact]
    public void ATrainingBatchNormKeepsTheConcatenation()
    {
        using var model = new DenseNet(Small, classes: 4);
        FormulaWeights.Fill(model);
        model.Eval();
        var block = (DenseBlock)model.Units.First(u => u.Name == "denseblock2").Modules.Single();
        block.Layers[2].Norm1.Train();
        var before = block.Layers[2].Norm1.RunningMean.ToArray();
        using var scope = TensorScope.Begin();
        using (GradMode.NoGrad()) model.Forward(FormulaWeights.Values("input", new Shape(2, 3, 29, 29)));
        // Batch statistics moved the running mean: the layer normalised with them, as the generic path does.
        Assert.NotEqual(before, block.Layers[2].Norm1.RunningMean.ToArray());
    }

    private static float[] Logits(DenseNet model, Tensor input, bool inPlace)
    {
        bool before = DenseBlock.GrowsInPlace;
        try
        {
            DenseBlock.GrowsInPlace = inPlace;
            using var noGrad = GradMode.NoGrad();
            return model.Forward(input).ToArray();
        }
        finally
        {
            DenseBlock.GrowsInPlace = before;
        }
    }
}
