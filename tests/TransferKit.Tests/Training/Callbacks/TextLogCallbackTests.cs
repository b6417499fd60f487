using TransferKit.Training.Callbacks;

namespace TransferKit.Tests.Training.Callbacks;

public class TextLogCallbackTests
{
    [Fact]
    public void WritesOneLinePerEpochWithTheNumbers()
    {
        var writer = new StringWriter();
        var log = new TextLogCallback(writer);
        log.OnTrainBegin(new TrainingStart(2, 5, 160, 40));
        var epoch = new EpochResult(1, 0.5, 0.75, 0.45, 0.8, 0.001, TimeSpan.FromSeconds(2), 80);
        log.OnEpochEnd(epoch);
        log.OnTrainEnd(new TrainingResult([epoch], 1, false, TimeSpan.FromSeconds(3)));
        var lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("training: 160 images, 40 validation images, 2 epochs of 5 batches", lines[0]);
        Assert.StartsWith("epoch 1/2: train loss 0.5000, accuracy 75.0%", lines[1]);
        Assert.Contains("validation loss 0.4500", lines[1]);
        Assert.Contains("80 img/s", lines[1]);
        Assert.Equal("done: 1 epochs in 3.0 s, best epoch 1", lines[2]);
    }
}
