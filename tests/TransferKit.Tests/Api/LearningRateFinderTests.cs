using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Data.Synthetic;
using TransferKit.Models;

namespace TransferKit.Tests.Api;

public sealed class LearningRateFinderTests
{
    private const int Size = 24;
    private static readonly InMemoryImageDataset Train = SyntheticTasks.Render(SyntheticImageTask.CatsAndDogs, perClass: 8, Size, seed: 41);

    [Fact]
    public async Task TheSweepRecordsACurveSuggestsARateInRangeAndLeavesTheWeightsAsTheyWere()
    {
        using var trainer = ImageClassifier.Create()
            .UseBaselineCnn(new BaselineCnnOptions { Channels = [6, 12] })
            .WithInputSize(Size)
            .WithHead(h => h.Hidden(8).BatchNorm().Dropout(0.2f))
            .WithTraining(o => { o.BatchSize = 4; o.Seed = 3; })
            .WithClasses("cat", "dog")
            .Build();
        var before = trainer.Network.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        var options = new LearningRateFinderOptions { Steps = 40, Smoothing = 0.9 };

        var result = await trainer.FindLearningRateAsync(Train, options);

        Assert.NotEmpty(result.Curve);
        Assert.True(result.Curve.Count <= 40);
        Assert.Equal(1e-7, result.Curve[0].LearningRate, 12);
        for (int i = 1; i < result.Curve.Count; i++) Assert.True(result.Curve[i].LearningRate > result.Curve[i - 1].LearningRate);
        Assert.Equal(LearningRateSuggestionRule.Valley, result.Rule);
        Assert.Equal(result.ValleyLearningRate, result.Suggestion);
        Assert.InRange(result.Suggestion, options.StartLearningRate, options.EndLearningRate);
        Assert.InRange(result.MinimumLearningRate, options.StartLearningRate / 10, options.EndLearningRate / 10);
        // From 1e-7 to 10 a fresh network diverges before the end.
        Assert.True(result.Diverged);
        foreach (var (key, t) in trainer.Network.StateDict()) Assert.Equal(before[key], t.ToArray());
        Assert.Contains("Steps", (await Assert.ThrowsAsync<ArgumentException>(() => trainer.FindLearningRateAsync(Train, new LearningRateFinderOptions { Steps = 1 }))).Message);
        Assert.Contains("SkipStartFraction", (await Assert.ThrowsAsync<ArgumentException>(() => trainer.FindLearningRateAsync(Train, new LearningRateFinderOptions { SkipStartFraction = 1 }))).Message);
    }

    [Fact]
    public async Task OnATaskWhoseGoodRatesAreKnown_TheSuggestionIsOneOfThemAndTrains()
    {
        var train = ColourTask.Render();
        using var finder = ColourClassifier(1e-3).Build();

        var result = await finder.FindLearningRateAsync(train);

        // 1e-3 to 1 all train this task in two epochs; the warm-up (1e-7 to 1e-6) changes nothing.
        Assert.True(result.Diverged);
        Assert.InRange(result.Suggestion, 1e-3, 1);
        Assert.InRange(result.SteepestLearningRate, 1e-3, 1);
        Assert.InRange(result.MinimumLearningRate, 1e-3, 1);
        Assert.Equal(10, result.FirstUsed);
        Assert.Equal(result.Curve.Count - 5, result.EndUsed);
        using var trainer = ColourClassifier(result.Suggestion).Build();
        var fit = await trainer.FitAsync(train);
        Assert.True(fit.Last!.TrainAccuracy >= 0.9, $"training at the suggested {result.Suggestion:E2} reached {fit.Last.TrainAccuracy:P0}");
    }

    [Fact]
    public async Task OnANoisyCurve_TheSuggestionIsNotTheWarmUp()
    {
        // Synthetic cats and dogs from scratch: five 5-epoch fits at 1e-5 to 1e-1 ended at training losses 0.727, 0.723,
        // 0.686, 0.621 and 0.685, so 1e-3 to 1e-2 is where this network learns. The batch loss is noisy, and the
        // bias-corrected average swings most in the first batches: the old rule (steepest over the whole curve) read
        // that swing and suggested 1e-7, the first rate of the sweep.
        var train = SyntheticTasks.Render(SyntheticImageTask.CatsAndDogs, perClass: 16, Size, seed: 41);
        using var trainer = ImageClassifier.Create()
            .UseBaselineCnn(new BaselineCnnOptions { Channels = [6, 12] })
            .WithInputSize(Size)
            .WithTraining(o => { o.BatchSize = 8; o.Seed = 3; })
            .WithClasses("cat", "dog")
            .Build();

        var result = await trainer.FindLearningRateAsync(train);

        Assert.InRange(result.Suggestion, 1e-3, 1e-1);
    }

    [Fact]
    public void Rules_LeaveOutTheWarmUpAndTheTail()
    {
        // Rates 1e-7 to 10 over 100 batches. The smoothed loss drops in the warm-up (the average still settles), is flat
        // to 1e-4, falls steadily to its lowest at 0.3 and then climbs into divergence.
        var curve = new List<LearningRatePoint>();
        for (int i = 0; i < 100; i++)
        {
            double rate = 1e-7 * Math.Pow(1e8, i / 99.0), log = Math.Log10(rate);
            double loss = log < -4 ? 0.7 : log < -0.5 ? 0.7 - (0.6 * (log + 4) / 3.5) : 0.1 + (3 * (log + 0.5));
            if (i < 5) loss += 0.5 - (0.1 * i) + (i == 1 ? 0.3 : 0);
            curve.Add(new LearningRatePoint(rate, loss, loss));
        }

        var (first, end) = LearningRateSuggestions.Window(curve, 100, 0.1, 5);
        var (valley, steepest, minimum) = LearningRateSuggestions.Suggest(curve, first, end);

        Assert.Equal((10, 95), (first, end));
        Assert.InRange(valley, 1e-3, 1e-1);
        Assert.InRange(steepest, 1e-4, 0.3);
        Assert.InRange(minimum, 0.02, 0.04);
        // Without the cuts, the warm-up's drop is the steepest point.
        Assert.True(LearningRateSuggestions.Suggest(curve, 0, 100).Steepest < 1e-6);
    }

    [Theory]
    [InlineData(new[] { 5.0, 4, 3, 2, 1 }, 1)]
    [InlineData(new[] { 1.0, 1, 1, 1 }, 0)]
    [InlineData(new[] { 3.0 }, 0)]
    [InlineData(new[] { 9.0, 9, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1, 9 }, 6)]
    public void Valley_IsAboutHalfWayAlongTheLongestFall(double[] loss, int expected) =>
        Assert.Equal(expected, LearningRateSuggestions.ValleyIndex(loss));

    [Fact]
    public async Task TheCurveIsDrawnAsAStandalonePageAndInTheTrainingReport()
    {
        var train = ColourTask.Render(count: 16);
        using var trainer = ColourClassifier(1e-2).Build();
        var sweep = await trainer.FindLearningRateAsync(train, new LearningRateFinderOptions { Steps = 30, Rule = LearningRateSuggestionRule.Minimum });
        Assert.Equal(sweep.MinimumLearningRate, sweep.Suggestion);

        string page = sweep.ToHtml();
        Assert.Contains("data-chart=\"lr-finder\"", page, StringComparison.Ordinal);
        Assert.Contains("minimum (suggestion)", page, StringComparison.Ordinal);
        Assert.Contains("data-series=\"used\"", page, StringComparison.Ordinal);
        _ = System.Xml.Linq.XDocument.Parse(page[page.IndexOf('<', 1)..]);

        var fit = await trainer.FitAsync(train);
        Assert.Contains("id=\"lr-finder\"", fit.ToHtml(sweep), StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"lr-finder\"", fit.ToHtml(), StringComparison.Ordinal);
        string path = Path.Combine(Path.GetTempPath(), $"tk-lr-{Guid.NewGuid():N}.html");
        try
        {
            sweep.SaveReport(path);
            Assert.Equal(page, File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static ImageClassifierBuilder ColourClassifier(double learningRate) => ImageClassifier.Create()
        .UseBaselineCnn(new BaselineCnnOptions { Channels = [4, 8] })
        .WithInputSize(ColourTask.Size)
        .WithTraining(o => { o.BatchSize = 8; o.Seed = 3; o.Epochs = 2; o.LearningRate = learningRate; })
        .WithClasses("warm", "cool");
}
