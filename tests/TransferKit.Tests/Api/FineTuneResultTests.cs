using TransferKit.Api;
using TransferKit.Training.Callbacks;
using TransferKit.Training.Freezing;

namespace TransferKit.Tests.Api;

public class FineTuneResultTests
{
    [Fact]
    public void AFineTuneResultNumbersPhaseTwoAfterPhaseOne()
    {
        static EpochResult Epoch(int e) => new(e, 1, 0.5, 0.9, 0.5, 0.01, TimeSpan.FromSeconds(1), 10);
        var frozen = new TrainingResult([Epoch(1), Epoch(2)], null, false, TimeSpan.FromSeconds(2));
        var unfrozen = new TrainingResult([Epoch(1), Epoch(2), Epoch(3)], 2, false, TimeSpan.FromSeconds(3));

        string[] lines = new FineTuneResult(frozen, unfrozen, new FreezePlan(3), 1e-4).ToString().Split(Environment.NewLine);

        Assert.Equal("phase 1, backbone frozen: 2 epochs in 2.0 s", lines[0]);
        Assert.StartsWith("  last: epoch 2: ", lines[1]);
        Assert.Equal("phase 2, 3 units frozen, lr 0.0001: 3 epochs in 3.0 s, best epoch 4", lines[2]);
        Assert.StartsWith("  best: epoch 4: ", lines[3]);
        Assert.StartsWith("  last: epoch 5: ", lines[4]);
    }
}
