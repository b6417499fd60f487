using TransferKit.Training.Callbacks;

namespace TransferKit.Tests.Training.Callbacks;

public class LossGuardTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(2.3)]
    [InlineData(-1e300)]
    public void FiniteLossesPass(double loss) => LossGuard.EnsureFinite(loss, 0, 0);

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteLossesThrowATypedErrorNamingEpochAndBatch(double loss)
    {
        var e = Assert.Throws<NonFiniteLossException>(() => LossGuard.EnsureFinite(loss, 2, 17));
        Assert.Equal(3, e.Epoch);
        Assert.Equal(17, e.Batch);
        Assert.Equal(loss, e.Loss);
        Assert.Contains("epoch 3, batch 18", e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<TransferKitException>(e);
    }
}
