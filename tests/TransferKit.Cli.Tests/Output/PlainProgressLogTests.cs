using TransferKit.Cli.Output;
using TransferKit.Training.Callbacks;

namespace TransferKit.Cli.Tests.Output;

public sealed class PlainProgressLogTests
{
    [Theory]
    [InlineData(50, 9, 5)]
    [InlineData(23, 9, 3)]
    [InlineData(20, 9, 2)]
    [InlineData(19, 0, 0)] // short epochs: the epoch line is enough
    public void LongEpochs_GetALineEveryTenth_ButNotAtTheirEnd(int batches, int lines, int firstBatch)
    {
        using var writer = new StringWriter();
        var log = new PlainProgressLog(writer);

        for (int b = 0; b < batches; b++) log.OnBatchEnd(new TrainingProgress(TrainingPhase.Training, 1, 3, b, batches, 100, 0.5, 1e-3));

        var written = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines, written.Length);
        if (lines > 0) Assert.Equal($"  epoch 1/3: batch {firstBatch}/{batches}, loss 0.5000, 100 img/s", written[0].TrimEnd());
    }

    [Fact]
    public void Caching_IsAnnouncedOnce_AndACandidateIsNamed()
    {
        using var writer = new StringWriter();
        var log = new PlainProgressLog(writer, "resnet18 (from scratch)");

        log.OnTrainBegin(new TrainingStart(2, 3, 40, 10));
        for (int b = 0; b < 3; b++) log.OnBatchEnd(new TrainingProgress(TrainingPhase.CachingFeatures, 1, 2, b, 3, 100, null, null));
        log.OnBatchEnd(new TrainingProgress(TrainingPhase.Validation, 1, 2, 0, 1, 100, 0.4, null));

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("resnet18 (from scratch):", lines[0]);
        Assert.StartsWith("training: 40 images, 10 validation images", lines[1]);
        Assert.Equal("caching the frozen units' output (3 batches, computed once and reused every epoch)", Assert.Single(lines[2..]));
    }

    [Fact]
    public void ALongCacheFill_CountsItsBatchesEveryTenth()
    {
        using var writer = new StringWriter();
        var log = new PlainProgressLog(writer);

        for (int b = 0; b < 40; b++) log.OnBatchEnd(new TrainingProgress(TrainingPhase.CachingFeatures, 1, 2, b, 40, 250, null, null));

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(10, lines.Length);
        Assert.StartsWith("caching the frozen units' output (40 batches", lines[0]);
        Assert.Equal("caching: batch 4/40, 250 img/s", lines[1]);
        Assert.Equal("caching: batch 36/40, 250 img/s", lines[^1]);
    }
}
