using TransferKit.Api;
using TransferKit.Kernels.Gemm;
using TransferKit.Models;
using TransferKit.Training.Callbacks;
using TransferKit.Weights;

namespace TransferKit.Tests.Api;

/// <summary>
/// bfloat16 prediction and frozen units: close to float32 but not equal where the CPU runs it, exactly float32 where it
/// does not (a machine without AVX512-BF16 is simulated), and said so in the warnings and the run's settings.
/// </summary>
public sealed class InferencePrecisionTests : IDisposable
{
    // The last convolution has more than 64 channels on both sides, so it runs on the bfloat16 products rather than on
    // the float32 direct kernel that narrow convolutions keep in a bfloat16 scope.
    private static readonly BaselineCnnOptions Backbone = new() { Channels = [16, 80, 96] };
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-precision-").FullName;

    public void Dispose()
    {
        BFloat16Gemm.SimulateUnavailable = false;
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task BFloat16PredictionsStayWithinAFewHundredthsOfFloat32()
    {
        using var trainer = Small().Build();
        await trainer.FitAsync(ColourTask.Render(32));
        var model = trainer.Model;
        var data = ColourTask.Render(12, seed: 11);
        var images = Enumerable.Range(0, data.Count).Select(i => data.Decode(i)).ToList();

        var fp32 = Scores(model.Predict(images));
        model.Precision = InferencePrecision.BFloat16;
        var bf16 = Scores(model.Predict(images));

        double worst = fp32.Zip(bf16, (a, b) => Math.Abs(a - b)).Max();
        if (InferencePrecisionSupport.IsAvailable(InferencePrecision.BFloat16))
        {
            Assert.Equal(InferencePrecision.BFloat16, model.EffectivePrecision);
            Assert.InRange(worst, 1e-7, 0.05);
        }
        else
        {
            Assert.Equal(InferencePrecision.Float32, model.EffectivePrecision);
            Assert.Equal(0, worst);
        }

        BFloat16Gemm.SimulateUnavailable = true;
        Assert.Equal(InferencePrecision.Float32, model.EffectivePrecision);
        Assert.NotNull(InferencePrecisionSupport.UnavailableReason(InferencePrecision.BFloat16));
        Assert.Equal(fp32, Scores(model.Predict(images)));
    }

    [Fact]
    public async Task FrozenUnitsInBFloat16AreRecordedInTheRunSettings_OrWarnedAboutWhereUnavailable()
    {
        string weights = Weights();
        using var trainer = Small(InferencePrecision.BFloat16).UsePretrainedWeights(weights).Build();
        var result = await trainer.FitAsync(ColourTask.Render(32));
        if (InferencePrecisionSupport.IsAvailable(InferencePrecision.BFloat16))
        {
            Assert.Equal("bfloat16", result.Settings!.FrozenPrecision);
            Assert.DoesNotContain(result.Warnings, w => w.Kind == TrainingWarningKind.BFloat16Unavailable);
        }

        BFloat16Gemm.SimulateUnavailable = true;
        var callback = new RecordingCallback();
        using var fallback = Small(InferencePrecision.BFloat16).UsePretrainedWeights(weights).WithCallback(callback).Build();
        var fellBack = await fallback.FitAsync(ColourTask.Render(32));
        var warning = Assert.Single(fellBack.Warnings, w => w.Kind == TrainingWarningKind.BFloat16Unavailable);
        Assert.Contains("switched off", warning.Message, StringComparison.Ordinal);
        Assert.Contains(warning, callback.Warnings);
        Assert.StartsWith("float32 (bfloat16 unavailable", fellBack.Settings!.FrozenPrecision, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Float32RunsWarnAboutNothing()
    {
        using var trainer = Small().UsePretrainedWeights(Weights()).Build();
        var result = await trainer.FitAsync(ColourTask.Render(32));
        Assert.Equal("float32", result.Settings!.FrozenPrecision);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void AnUndefinedPrecisionIsRejected()
    {
        var options = new TrainingOptions { FrozenPrecision = (InferencePrecision)7 };
        Assert.Contains("FrozenPrecision", Assert.Throws<ArgumentException>(options.Validate).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => InferencePrecisionSupport.IsAvailable((InferencePrecision)7));
    }

    private static float[] Scores(IReadOnlyList<Prediction> predictions) => [.. predictions.SelectMany(p => p.Scores)];

    private string Weights()
    {
        string path = Path.Combine(_dir, "backbone.safetensors");
        using var net = new BaselineCnn(new BaselineCnnOptions { Channels = Backbone.Channels, Classes = 5, Seed = 3 });
        SafetensorsWriter.Write(path, net.StateDict());
        return path;
    }

    private static ImageClassifierBuilder Small(InferencePrecision frozen = InferencePrecision.Float32) =>
        ImageClassifier.Create().LogToConsole(false).UseBaselineCnn(Backbone).WithInputSize(ColourTask.Size)
            .WithTraining(o =>
            {
                o.Epochs = 1;
                o.BatchSize = 16;
                o.Seed = 3;
                o.FrozenPrecision = frozen;
            });
}
