using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Data.Synthetic;
using TransferKit.Models;
using TransferKit.Weights;
using Xunit.Abstractions;

namespace TransferKit.Tests.Api;

/// <summary>
/// The test that proves transfer: a small backbone pre-trained on the many-class synthetic source task, transferred to the
/// few-image two-class target task, beats the same network trained from scratch on held-out images, with every seed fixed.
/// </summary>
public sealed class TransferLearningTests(ITestOutputHelper output) : IDisposable
{
    private const int Size = 32;
    private static readonly BaselineCnnOptions Backbone = new() { Channels = [16, 32, 64] };
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-transfer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PretrainOnSource()
    {
        var source = SyntheticTasks.Render(SyntheticImageTask.Shapes, perClass: 150, Size, seed: 1);
        using var trainer = ImageClassifier.Create()
            .UseBaselineCnn(Backbone)
            .WithInputSize(Size)
            .WithTraining(o => { o.Epochs = 12; o.BatchSize = 32; o.LearningRate = 3e-3; o.Seed = 1; })
            .Build();
        var result = trainer.FitAsync(source).GetAwaiter().GetResult();
        output.WriteLine($"source: train accuracy {result.Last!.TrainAccuracy:P1} after {result.Epochs.Count} epochs");
        string path = Path.Combine(_dir, "source-backbone.safetensors");
        SafetensorsWriter.Write(path, trainer.Network.StateDict());
        return path;
    }

    private double Accuracy(Func<ImageClassifierBuilder, ImageClassifierBuilder> configure, IImageDataset train, IImageDataset test, string what, double learningRate = 3e-3)
    {
        var builder = ImageClassifier.Create()
            .WithInputSize(Size)
            .WithTraining(o => { o.Epochs = 15; o.BatchSize = 16; o.LearningRate = learningRate; o.Seed = 2; });
        using var trainer = configure(builder).Build();
        trainer.FitAsync(train).GetAwaiter().GetResult();
        double accuracy = trainer.Model.Evaluate(test).Accuracy;
        output.WriteLine($"{what}: held-out accuracy {accuracy:P1}, trainable parameters {trainer.TrainableParameterCount:N0}, cache {trainer.CacheDecision}");
        return accuracy;
    }

    [Fact]
    public void PretrainedBackboneBeatsTrainingFromScratchOnASmallTargetTask()
    {
        string weights = PretrainOnSource();
        var train = SyntheticTasks.Render(SyntheticImageTask.CatsAndDogs, perClass: 20, Size, seed: 2);
        var test = SyntheticTasks.Render(SyntheticImageTask.CatsAndDogs, perClass: 100, Size, seed: 3);

        double scratch = Accuracy(b => b.UseBaselineCnn(Backbone).FromScratch(), train, test, "from scratch");
        double frozen = Accuracy(b => b.UseBaselineCnn(Backbone).UsePretrainedWeights(weights).Freeze(TransferKit.Training.Freezing.FreezeDepth.Backbone), train, test, "frozen backbone");
        double fineTuned = Accuracy(b => b.UseBaselineCnn(Backbone).UsePretrainedWeights(weights).TrainLastUnits(1), train, test, "last unit fine-tuned", learningRate: 1e-3);

        Assert.True(frozen > scratch + 0.08, $"frozen transfer {frozen:P1} should clearly beat from scratch {scratch:P1}");
        Assert.True(fineTuned > scratch + 0.05, $"fine-tuned transfer {fineTuned:P1} should clearly beat from scratch {scratch:P1}");
    }
}
