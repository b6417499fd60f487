using TransferKit.Data.Augmentation;

namespace TransferKit.Tests.Data.Augmentation;

public sealed class RandomHorizontalFlipTests
{
    [Fact]
    public void MirrorsEveryRowOfEveryPlane()
    {
        // 2 planes of 2 x 3.
        float[] planes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        RandomHorizontalFlip.Apply(planes, width: 3, height: 2);
        Assert.Equal([3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10], planes);
    }

    [Fact]
    public void TwiceIsIdentity()
    {
        float[] planes = Enumerable.Range(0, 3 * 5 * 7).Select(i => (float)i).ToArray();
        float[] original = (float[])planes.Clone();
        RandomHorizontalFlip.Apply(planes, 7, 5);
        RandomHorizontalFlip.Apply(planes, 7, 5);
        Assert.Equal(original, planes);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(1.0, 2000)]
    public void ProbabilityZeroAndOneAreCertain(double p, int expectedFlips)
    {
        var flip = new RandomHorizontalFlip(p);
        var rng = new Random(1);
        Assert.Equal(expectedFlips, Enumerable.Range(0, 2000).Count(_ => flip.Sample(rng)));
    }

    [Fact]
    public void HalfFlipsAboutHalf()
    {
        var flip = new RandomHorizontalFlip(0.5);
        var rng = new Random(2);
        int flips = Enumerable.Range(0, 4000).Count(_ => flip.Sample(rng));
        Assert.InRange(flips, 1800, 2200);   // 6 standard deviations (sd = 32)
    }
}
