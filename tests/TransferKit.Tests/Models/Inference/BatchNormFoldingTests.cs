using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Models.Inception;
using TransferKit.Models.Inference;
using TransferKit.Nn;
using TransferKit.Tensors;
using TransferKit.Tests.Kernels.Convolution;
using TransferKit.Tests.Models.Inception;

namespace TransferKit.Tests.Models.Inference;

/// <summary>
/// Batch-norm folding: the folded network computes the unfolded one's eval output, runs folded only for frozen
/// evaluation-mode pairs outside a tape, refolds after the pair changes, and leaves training untouched.
/// </summary>
public class BatchNormFoldingTests
{
    private static readonly Shape BaselineInput = new(2, 3, 16, 16);

    /// <summary>A baseline CNN with randomised (formula) weights and BN statistics, so no BN is near the identity.</summary>
    private static BaselineCnn Baseline()
    {
        var model = new BaselineCnn(new BaselineCnnOptions { Channels = [8, 16, 32], Classes = 3 });
        FormulaWeights.Fill(model);
        return model;
    }

    private static IEnumerable<(Conv2d, BatchNorm2d)> Pairs(BaselineCnn model) =>
        Enumerable.Range(0, model.Features.Count).Select(i => (Sequential)model.Features[i]).Select(b => ((Conv2d)b[0], (BatchNorm2d)b[1]));

    private static float[] Logits(Module model, Shape shape)
    {
        using var scope = TensorScope.Begin();
        using var input = FormulaWeights.Values("input", shape);
        return model.Forward(input).ToArray();
    }

    private static void Frozen(Module model)
    {
        model.Eval();
        model.SetTrainable(false);
    }

    [Fact]
    public void FoldedBaselineMatchesUnfoldedAndBypassesBatchNorm()
    {
        using var model = Baseline();
        Frozen(model);
        var unfolded = Logits(model, BaselineInput);
        using var folding = BatchNormFolding.Fold(Pairs(model));
        Assert.Equal(3, folding.PairCount);
        Assert.Equal(3, folding.ActivePairCount);
        var folded = Logits(model, BaselineInput);
        NumericAssert.Close(unfolded, folded, Tolerances.FoldedBatchNormRelative, Tolerances.GoldenAbsolute, "folded vs unfolded logits");
        Assert.NotEqual(unfolded, folded); // the folded path ran: float32 rounding differs somewhere

        // The BN layers no longer run: a change to their statistics shows only after Refresh.
        var bn = (BatchNorm2d)((Sequential)model.Features[1])[1];
        bn.RunningMean.Span.Fill(3f);
        Assert.Equal(folded, Logits(model, BaselineInput));
        folding.Refresh();
        var refreshed = Logits(model, BaselineInput);
        folding.Dispose();
        NumericAssert.Close(Logits(model, BaselineInput), refreshed, Tolerances.FoldedBatchNormRelative, Tolerances.GoldenAbsolute, "refolded vs unfolded");
        Assert.Equal(0, folding.ActivePairCount);
    }

    [Fact]
    public void TrainableTrainingModeOrRecordingPairsRunUnfolded()
    {
        using var model = Baseline();
        using var reference = Baseline();
        Frozen(model);
        Frozen(reference);
        using var folding = BatchNormFolding.Fold(Pairs(model));

        // Under a tape the plain layers run, bit for bit.
        using (var scope = TensorScope.Begin())
        using (var tape = Tape.Begin())
        {
            var input = FormulaWeights.Values("input", BaselineInput);
            Assert.Equal(Logits(reference, BaselineInput), model.Forward(input).ToArray());
        }

        // Trainable parameters: not eligible.
        model.SetTrainable(true);
        reference.SetTrainable(true);
        Assert.Equal(0, folding.ActivePairCount);
        Assert.Equal(Logits(reference, BaselineInput), Logits(model, BaselineInput));

        // Training mode: batch statistics, running statistics updated exactly as without folding.
        model.SetTrainable(false);
        reference.SetTrainable(false);
        model.Train();
        reference.Train();
        Assert.Equal(0, folding.ActivePairCount);
        Assert.Equal(Logits(reference, BaselineInput), Logits(model, BaselineInput));
        foreach (var (key, value) in reference.StateDict()) Assert.Equal(value.ToArray(), model.StateDict()[key].ToArray());
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("im2col")]
    [InlineData("winograd")]
    public void PairsRefoldAfterTrainingChangesThem(string algorithm)
    {
        // Each forward algorithm keeps its own forms of the folded weights across calls; none may outlive a refold.
        using var forced = new ForcedConvAlgorithm(algorithm);
        using var model = Baseline();
        Frozen(model);
        using var folding = BatchNormFolding.Fold(Pairs(model));
        _ = Logits(model, BaselineInput); // folds

        // A training step: trainable, training mode, under a tape; then the weights change (as an optimizer would).
        model.SetTrainable(true);
        model.Train();
        using (var scope = TensorScope.Begin())
        using (var tape = Tape.Begin())
        {
            var input = FormulaWeights.Values("input", BaselineInput);
            tape.Backward(Ops.CrossEntropy(model.Forward(input), [0, 2]));
        }
        foreach (var (_, p) in model.NamedParameters()) p.Value.Span[0] += 0.25f;

        Frozen(model);
        var refolded = Logits(model, BaselineInput);
        folding.Dispose();
        NumericAssert.Close(Logits(model, BaselineInput), refolded, Tolerances.FoldedBatchNormRelative, Tolerances.GoldenAbsolute,
            "refolded after a training step vs unfolded");
    }

    [Fact]
    public void TrainingAfterUnfoldingIsUnchangedAndAFoldedFrozenPrefixTrainsTheSame()
    {
        using var folded = Baseline();
        using var plain = Baseline();
        // Freeze the first two blocks with BN in evaluation mode, train the rest: the transfer-learning setting.
        foreach (var model in new[] { folded, plain })
        {
            model.Train();
            for (int i = 0; i < 2; i++)
            {
                model.Features[i].SetTrainable(false);
                model.Features[i].Eval();
            }
        }
        using var folding = BatchNormFolding.Fold(Pairs(folded));
        Assert.Equal(2, folding.ActivePairCount);

        var (foldedLoss, foldedGrads) = Step(folded, prefixWithoutTape: true);
        var (plainLoss, plainGrads) = Step(plain, prefixWithoutTape: true);
        NumericAssert.Close([plainLoss], [foldedLoss], Tolerances.FoldedBatchNormRelative, Tolerances.GoldenAbsolute, "loss");
        foreach (var (key, grad) in plainGrads)
            NumericAssert.Close(grad, foldedGrads[key], Tolerances.FoldedBatchNormRelative, Tolerances.GoldenAbsolute, "gradient of " + key);

        // After unfolding, training is bit for bit what it is without ever folding.
        folding.Dispose();
        var (afterLoss, afterGrads) = Step(folded, prefixWithoutTape: false);
        var (plainAgainLoss, plainAgainGrads) = Step(plain, prefixWithoutTape: false);
        Assert.Equal(plainAgainLoss, afterLoss);
        foreach (var (key, grad) in plainAgainGrads) Assert.Equal(grad, afterGrads[key]);
    }

    /// <summary>One forward and backward; the frozen prefix (blocks 0 and 1) runs without recording when asked, as a trainer would.</summary>
    private static (float Loss, Dictionary<string, float[]> Grads) Step(BaselineCnn model, bool prefixWithoutTape)
    {
        model.ZeroGrad();
        using var scope = TensorScope.Begin();
        var input = FormulaWeights.Values("input", BaselineInput);
        Tensor prefix;
        using (prefixWithoutTape ? GradMode.NoGrad() : default(GradMode.NoGradScope?))
            prefix = model.Features[1].Forward(model.Features[0].Forward(input));
        using var tape = Tape.Begin();
        var features = model.Features[2].Forward(prefix);
        var logits = model.Classifier.Forward(Ops.Flatten(model.Pool.Forward(features)));
        var loss = Ops.CrossEntropy(logits, [1, 2]);
        tape.Backward(loss);
        var grads = model.NamedParameters().Where(kv => kv.Value.Trainable).ToDictionary(kv => kv.Key, kv => kv.Value.Grad!.ToArray());
        return (loss.Item(), grads);
    }

    [Fact]
    public void FoldedInceptionMatchesUnfolded()
    {
        using var model = new InceptionV3(new InceptionV3Options { Classes = 5 });
        FormulaWeights.Fill(model);
        Frozen(model);
        var shape = new Shape(1, 3, 75, 75);
        var unfolded = Logits(model, shape);
        using var folding = BatchNormFolding.Fold(model);
        Assert.Equal(94, folding.PairCount);
        Assert.Equal(94, folding.ActivePairCount);
        NumericAssert.Close(unfolded, Logits(model, shape), Tolerances.FoldedBatchNormRelative, Tolerances.GoldenAbsolute, "folded vs unfolded Inception logits");
    }

    /// <summary>
    /// Folded catalog networks run fused convolutions (bias, residual add and activation in the kernel): every block
    /// kind that fuses (ResNet's basic and bottleneck blocks, MobileNet's and EfficientNet's conv-norm-activation and
    /// residual projection, DenseNet's bottleneck) must still compute the unfolded network's logits.
    /// </summary>
    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet50")]
    [InlineData("mobilenet_v2")]
    [InlineData("mobilenet_v3_large")]
    [InlineData("efficientnet_b0")]
    [InlineData("densenet121")]
    public void FoldedAndFusedCatalogNetworksMatchUnfolded(string name)
    {
        using var model = Architectures.Get(name).Create(5, 0);
        FormulaWeights.Fill(model);
        Frozen(model);
        var shape = new Shape(2, 3, 64, 64);
        var unfolded = Logits(model, shape);
        using var folding = BatchNormFolding.Fold(model);
        Assert.Equal(folding.PairCount, folding.ActivePairCount);
        var folded = Logits(model, shape);
        NumericAssert.Close(unfolded, folded, Tolerances.FoldedBatchNormRelative, Tolerances.GoldenAbsolute, $"folded and fused vs unfolded {name} logits");
    }

    /// <summary>
    /// Convolutions that no batch norm follows (DenseNet's 3x3 and transition convolutions) keep their kernels' forms of
    /// the weights while folded for inference, and drop them on <see cref="FoldedBatchNorm.Refresh"/> and on a training
    /// step, as the folded pairs do; disposing the folding unhooks them.
    /// </summary>
    [Theory]
    [InlineData("auto")]
    [InlineData("im2col")]
    [InlineData("winograd")]
    public void LoneConvolutionsKeepTheirWeightsUntilTheyChange(string algorithm)
    {
        using var forced = new ForcedConvAlgorithm(algorithm);
        using var model = Architectures.Get("densenet121").Create(5, 0);
        FormulaWeights.Fill(model);
        Frozen(model);
        var shape = new Shape(1, 3, 64, 64);
        var lone = model.NamedModules().Where(kv => kv.Key.EndsWith(".conv2", StringComparison.Ordinal)).Select(kv => (Conv2d)kv.Value).First();
        var folding = BatchNormFolding.FoldForInference(model);
        try
        {
            Assert.NotNull(lone.KeptWeights);
            Assert.Null(BatchNormFolding.FoldUnlessFolded(model));
            var before = Logits(model, shape);
            Assert.Equal(before, Logits(model, shape)); // the kept forms give the same bits as the first call

            // Weights changed in place, then Refresh: the next call rebuilds the forms from them.
            for (int i = 0; i < lone.Weight.Value.Length; i += 7) lone.Weight.Value.Span[i] += 0.5f;
            folding.Refresh();
            var refreshed = Logits(model, shape);
            Assert.NotEqual(before, refreshed);

            // A training step (a recording tape) drops them too; the optimizer's change then shows in the next call.
            model.SetTrainable(true);
            using (var scope = TensorScope.Begin())
            using (var tape = Tape.Begin())
            {
                var input = FormulaWeights.Values("input", shape);
                tape.Backward(Ops.CrossEntropy(model.Forward(input), [0]));
            }
            for (int i = 3; i < lone.Weight.Value.Length; i += 7) lone.Weight.Value.Span[i] -= 0.5f;
            var stepped = Logits(model, shape);
            folding.Dispose();
            Assert.Null(lone.KeptWeights);
            NumericAssert.Close(Logits(model, shape), stepped, Tolerances.FoldedBatchNormRelative, Tolerances.GoldenAbsolute,
                "folded with kept lone weights after a training step vs unfolded");
            model.SetTrainable(false);
            using (BatchNormFolding.FoldForInference(model)) Assert.Equal(stepped, Logits(model, shape));
        }
        finally
        {
            folding.Dispose();
        }
    }

    [Fact]
    public void InvalidFoldingsAreRefused()
    {
        using var model = Baseline();
        using (BatchNormFolding.Fold(Pairs(model)))
            Assert.Throws<InvalidOperationException>(() => BatchNormFolding.Fold(Pairs(model)));
        using (BatchNormFolding.Fold(Pairs(model))) { } // disposing the first folding freed the layers

        var pairs = Pairs(model).ToList();
        Assert.Throws<InvalidOperationException>(() => BatchNormFolding.Fold([pairs[0], pairs[0]]));
        Assert.Throws<ArgumentException>(() => BatchNormFolding.Fold([(pairs[0].Item1, pairs[1].Item2)]));
        // A refused folding installs nothing.
        using var again = BatchNormFolding.Fold(pairs);
        Assert.Equal(3, again.PairCount);
        Assert.Throws<ObjectDisposedException>(() => { again.Dispose(); again.Refresh(); });
    }
}
