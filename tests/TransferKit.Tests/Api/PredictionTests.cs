using TransferKit.Api;

namespace TransferKit.Tests.Api;

public class PredictionTests
{
    [Fact]
    public void APredictionPrintsItsLabelAndTheRunnersUp()
    {
        var p = new Prediction("dog", 1, [0.021f, 0.973f, 0.006f], ["cat", "dog", "fox"]);
        Assert.Equal("dog 97.3% (cat 2.1%, fox 0.6%)", p.ToString());
        Assert.Equal("cat 60.0% (dog 40.0%)", new Prediction("cat", 0, [0.6f, 0.4f], ["cat", "dog"]).ToString());
    }
}
