using TransferKit.Training.Callbacks;

namespace TransferKit.Tests.Training.Callbacks;

public class TrainingResultTests
{
    private static EpochResult Epoch(int e, double valLoss) => new(e, 1, 0.5, valLoss, 0.5, 0.01, TimeSpan.FromSeconds(1), 10);

    [Fact]
    public void BestAndLastFindTheirEpochs()
    {
        var result = new TrainingResult([Epoch(1, 0.9), Epoch(2, 0.7), Epoch(3, 0.8)], 2, true, TimeSpan.FromSeconds(3));
        Assert.Equal(0.7, result.Best!.ValidationLoss);
        Assert.Equal(3, result.Last!.Epoch);
    }

    [Fact]
    public void EmptyOrUnwatchedHistoryHasNoBestOrLast()
    {
        var result = new TrainingResult([], null, false, TimeSpan.Zero);
        Assert.Null(result.Best);
        Assert.Null(result.Last);
    }

    [Fact]
    public void ToStringIsAFewReadableLines_NotTheRecordsMembers()
    {
        var epochs = Enumerable.Range(1, 100).Select(e => Epoch(e, 1.0 / e + (e == 40 ? -1 : 0))).ToList();
        var wrong = Enumerable.Range(0, 16).Select(i => new MisclassifiedImage(i, $"dog/{i}.jpg", 1, "dog", 0, "cat", 0.9f, new byte[4000])).ToList();
        var result = new TrainingResult(epochs, 40, true, TimeSpan.FromSeconds(123.45)) { ConfidentlyWrong = wrong };

        string[] lines = result.ToString().Split(Environment.NewLine);

        Assert.Equal("100 epochs in 123.5 s, best epoch 40, stopped early", lines[0]);
        Assert.StartsWith("  best: epoch 40: train loss 1.0000, accuracy 50.0%; validation loss -0.9750", lines[1]);
        Assert.StartsWith("  last: epoch 100: ", lines[2]);
        Assert.Equal(3, lines.Length);
        Assert.DoesNotContain("{", result.ToString());
        Assert.Equal("dog/3.jpg: dog, predicted cat (90.0%)", wrong[3].ToString());
    }

    [Fact]
    public void AnEpochPrintsAsItsLogLine()
    {
        Assert.Equal("epoch 2: train loss 1.0000, accuracy 50.0%; validation loss 0.7000, accuracy 50.0%; lr 0.01; 1.0 s, 10 img/s",
            Epoch(2, 0.7).ToString());
    }
}
