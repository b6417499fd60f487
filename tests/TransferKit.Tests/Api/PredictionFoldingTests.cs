using TransferKit.Api;
using TransferKit.Autograd;
using TransferKit.Data.Synthetic;
using TransferKit.Models;
using TransferKit.Tensors;

namespace TransferKit.Tests.Api;

/// <summary>A model that predicts runs with batch norm folded (and its convolutions fused), and still computes what the plain network does.</summary>
public sealed class PredictionFoldingTests : IDisposable
{
    private const int Size = 24;

    private readonly string _dir = Directory.CreateTempSubdirectory("tk-folding-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task LoadedModelFoldsEveryPairAndMatchesThePlainNetwork()
    {
        string path = await TrainAndSave();
        using var model = TrainedModel.Load(path);
        var (plain, _) = ModelFile.Load(path);
        using (plain)
        {
            plain.Eval();
            int pairs = model.Network.ConvBatchNormPairs().Count();
            Assert.True(pairs > 0);
            Assert.Equal(pairs, model.Folding.ActivePairCount);
            AssertSameLogits(plain, model.Network);

            // Statistics changed directly are seen after a refresh.
            foreach (var net in new[] { plain, model.Network })
            {
                var norm = net.ConvBatchNormPairs().First().Norm;
                norm.RunningMean.Span.Fill(0.75f);
                norm.RunningVar.Span.Fill(2.5f);
            }
            model.RefreshFoldedWeights();
            AssertSameLogits(plain, model.Network);
        }
    }

    [Fact]
    public async Task ASecondFitOnTheSameNetworkTakesOverTheFolding()
    {
        var train = SyntheticTasks.Render(SyntheticImageTask.CatsAndDogs, perClass: 6, Size, seed: 5);
        using var classifier = Classifier(seed: 2);
        await classifier.FitAsync(train);
        var first = classifier.Model;
        await classifier.FitAsync(train);
        Assert.NotSame(first, classifier.Model);
        Assert.Equal(0, first.Folding.ActivePairCount);
        Assert.Equal(classifier.Model.Network.ConvBatchNormPairs().Count(), classifier.Model.Folding.ActivePairCount);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AFitRunsItsFrozenPairsFoldedAndItsTrainedPairsPlain(bool cache)
    {
        var train = SyntheticTasks.Render(SyntheticImageTask.CatsAndDogs, perClass: 6, Size, seed: 6);
        var seen = new FoldingProbe();
        using var classifier = ImageClassifier.Create().UseBaselineCnn(new BaselineCnnOptions { Channels = [6, 12] }).WithInputSize(Size)
            .FreezeUnits(1).WithHead(h => h.Hidden(5)).WithClasses("cat", "dog").WithCallback(seen)
            .WithTraining(o => { o.Epochs = 1; o.BatchSize = 6; o.Seed = 3; o.UseActivationCache = cache; }).Build();
        seen.Network = classifier.Network;
        await classifier.FitAsync(train);
        var pairs = classifier.Network.ConvBatchNormPairs().ToList();
        Assert.True(pairs.Count >= 2);
        // During the epoch: the frozen unit's pair folded (eligible), the trained pairs installed but running plain.
        Assert.True(seen.ActiveDuringEpoch > 0 && seen.ActiveDuringEpoch < pairs.Count, $"{seen.ActiveDuringEpoch} of {pairs.Count}");
        // After it: the model's own folding, every pair.
        Assert.Equal(pairs.Count, classifier.Model.Folding.ActivePairCount);
    }

    private sealed class FoldingProbe : TransferKit.Training.Callbacks.ITrainingCallback
    {
        public ConvNet? Network { get; set; }

        public int ActiveDuringEpoch { get; private set; } = -1;

        public void OnEpochEnd(TransferKit.Training.Callbacks.EpochResult result) =>
            ActiveDuringEpoch = Network!.ConvBatchNormPairs().Count(p => p.Norm.IsFoldedNow);
    }

    private async Task<string> TrainAndSave()
    {
        var train = SyntheticTasks.Render(SyntheticImageTask.CatsAndDogs, perClass: 6, Size, seed: 4);
        string path = Path.Combine(_dir, "model.safetensors");
        using var classifier = Classifier(seed: 1);
        await classifier.FitAsync(train);
        classifier.Model.Save(path);
        return path;
    }

    private static ImageClassifierTrainer Classifier(int seed) =>
        ImageClassifier.Create().UseBaselineCnn(new BaselineCnnOptions { Channels = [6, 12] }).WithInputSize(Size)
            .WithHead(h => h.Hidden(5)).WithTraining(o => { o.Epochs = 1; o.BatchSize = 6; o.Seed = seed; }).Build();

    private static void AssertSameLogits(ConvNet plain, ConvNet folded)
    {
        var random = new Random(9);
        var pixels = Enumerable.Range(0, 2 * 3 * Size * Size).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var input = Tensor.FromArray(pixels, 2, 3, Size, Size);
        var expected = plain.Forward(input).ToArray();
        var actual = folded.Forward(input).ToArray();
        NumericAssert.Close(expected, actual, 1e-4f, 1e-5f, "logits folded against plain");
    }
}
