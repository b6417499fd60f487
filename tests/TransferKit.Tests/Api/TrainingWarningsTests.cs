using TransferKit.Api;
using TransferKit.Data.Augmentation;
using TransferKit.Models;
using TransferKit.Training;
using TransferKit.Training.Callbacks;
using TransferKit.Weights;

namespace TransferKit.Tests.Api;

/// <summary>Training says so when the frozen weights are random, and when the frozen features are all but zero.</summary>
public sealed class TrainingWarningsTests : IDisposable
{
    private static readonly BaselineCnnOptions Backbone = new() { Channels = [4, 8] };
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-warnings-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A saved baseline backbone; with <paramref name="zero"/>, every weight zero (running variances one), so its output is exactly zero.</summary>
    private string Weights(bool zero)
    {
        string path = Path.Combine(_dir, zero ? "zero.safetensors" : "learned.safetensors");
        using var net = new BaselineCnn(new BaselineCnnOptions { Channels = Backbone.Channels, Classes = 5, Seed = 3 });
        if (zero)
        {
            foreach (var (key, t) in net.StateDict())
                t.Span.Fill(key.EndsWith("running_var", StringComparison.Ordinal) ? 1f : 0f);
        }
        SafetensorsWriter.Write(path, net.StateDict());
        return path;
    }

    private static ImageClassifierBuilder Small(RecordingCallback? callback = null, bool cache = true, bool augment = false)
    {
        var builder = ImageClassifier.Create().LogToConsole(false).UseBaselineCnn(Backbone).WithInputSize(ColourTask.Size)
            .WithTraining(o =>
            {
                o.Epochs = 1;
                o.BatchSize = 16;
                o.Seed = 3;
                o.UseActivationCache = cache;
                o.Augmentation = augment ? AugmentationOptions.Standard with { RandomResizedCrop = false } : AugmentationOptions.None;
            });
        return callback is null ? builder : builder.WithCallback(callback);
    }

    [Fact]
    public async Task FrozenRandomWeightsAreReportedToCallbacksAndInTheResult()
    {
        var callback = new RecordingCallback();
        using var trainer = Small(callback).FreezeUnits(1).Build();

        var result = await trainer.FitAsync(ColourTask.Render(32));

        var warning = Assert.Single(result.Warnings, w => w.Kind == TrainingWarningKind.RandomFrozenWeights);
        Assert.Contains("random weights", warning.Message, StringComparison.Ordinal);
        Assert.Contains(warning, callback.Warnings);
        Assert.Contains("warning: ", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromScratchWithNothingFrozen_OrWithLoadedWeights_NothingIsReported()
    {
        using var scratch = Small().Build();
        using var loaded = Small().UsePretrainedWeights(Weights(zero: false)).Build();

        var fromScratch = await scratch.FitAsync(ColourTask.Render(32));
        var transferred = await loaded.FitAsync(ColourTask.Render(32));

        Assert.Empty(fromScratch.Warnings);
        Assert.Empty(transferred.Warnings);
        Assert.True(loaded.FreezePlan.FrozenUnits > 0);
        Assert.DoesNotContain("warning", transferred.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task ZeroFeaturesAreReported_CachedOrNot(bool cache, bool augment)
    {
        var callback = new RecordingCallback();
        using var trainer = Small(callback, cache, augment).UsePretrainedWeights(Weights(zero: true)).Build();

        var result = await trainer.FitAsync(ColourTask.Render(32));

        var warning = Assert.Single(result.Warnings);
        Assert.Equal(TrainingWarningKind.NearZeroFeatures, warning.Kind);
        Assert.Contains("near zero", warning.Message, StringComparison.Ordinal);
        Assert.Equal([warning], callback.Warnings);
    }

    [Fact]
    public async Task TheConsoleLogPrintsWarnings()
    {
        var log = new StringWriter();
        using var trainer = Small(null).WithCallback(new TextLogCallback(log)).FreezeUnits(1).Build();

        await trainer.FitAsync(ColourTask.Render(32));

        Assert.Contains("warning: 1 of the 2 units are frozen with random weights", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheFeatureCheckFlagsTinyValuesAndDeadChannels_AndPassesLiveOnes()
    {
        const int samples = 2, channels = 200, positions = 4;
        var features = new float[samples * channels * positions];
        Assert.NotNull(FrozenFeatureCheck.Inspect(features, samples, channels));

        features.AsSpan().Fill(5e-7f);
        Assert.Equal(TrainingWarningKind.NearZeroFeatures, FrozenFeatureCheck.Inspect(features, samples, channels)!.Kind);

        // One live channel in 200 is 99.5 % dead: still flagged.
        Array.Clear(features);
        features[3] = 2f;
        Assert.Contains("199 of", FrozenFeatureCheck.Inspect(features, samples, channels)!.Message, StringComparison.Ordinal);

        // Three live channels in 200 (98.5 % dead) pass, as do ordinary ReLU features with many zeros.
        features[positions * 1] = 1f;
        features[positions * 2] = 1f;
        Assert.Null(FrozenFeatureCheck.Inspect(features, samples, channels));
        var random = new Random(1);
        for (int i = 0; i < features.Length; i++) features[i] = Math.Max(0f, (float)random.NextDouble() - 0.5f);
        Assert.Null(FrozenFeatureCheck.Inspect(features, samples, channels));
    }
}
