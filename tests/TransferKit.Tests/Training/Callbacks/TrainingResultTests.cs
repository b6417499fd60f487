using TransferKit.Training.Callbacks;

namespace TransferKit.Tests.Training.Callbacks;

public class TrainingResultTests
{
    private static EpochResult Epoch(int e, double valLoss) => new(e, 1, 0.5, valLoss, 0.5, 0.01, TimeSpan.FromSeconds(1), 10);

    [Fact]
    public void BestAndLastFindTheirEpochs()
    {
        var result = new TrainingResult([Epoch(0, 0.9), Epoch(1, 0.7), Epoch(2, 0.8)], 1, true, TimeSpan.FromSeconds(3));
        Assert.Equal(0.7, result.Best!.ValidationLoss);
        Assert.Equal(2, result.Last!.Epoch);
    }

    [Fact]
    public void EmptyOrUnwatchedHistoryHasNoBestOrLast()
    {
        var result = new TrainingResult([], null, false, TimeSpan.Zero);
        Assert.Null(result.Best);
        Assert.Null(result.Last);
    }
}
