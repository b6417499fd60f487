using TransferKit.Data.Augmentation;

namespace TransferKit.Tests.Data.Augmentation;

public sealed class RandomRotationTests
{
    private static float[] Ramp(int n) => Enumerable.Range(0, n).Select(i => (i % 97) / 97f).ToArray();

    [Fact]
    public void ZeroDegreesIsIdentity()
    {
        float[] source = Ramp(3 * 9 * 7);
        var output = new float[source.Length];
        RandomRotation.Apply(source, output, 9, 7, 0);
        Assert.Equal(source, output);
    }

    [Fact]
    public void NinetyDegreesCounterClockwiseMovesTheRightColumnToTheTop()
    {
        const int n = 6;
        float[] source = Ramp(n * n);
        var output = new float[source.Length];
        RandomRotation.Apply(source, output, n, n, 90);

        // Counter-clockwise: out[y, x] = in[x, n - 1 - y] (the right column becomes the top row).
        var expected = new float[n * n];
        for (int y = 0; y < n; y++)
        {
            for (int x = 0; x < n; x++) expected[(y * n) + x] = source[(x * n) + (n - 1 - y)];
        }

        NumericAssert.Close(expected, output, 0f, 1e-5f, "rotate 90");
    }

    [Fact]
    public void CornersUncoveredByTheRotationGetTheFill()
    {
        float[] source = Enumerable.Repeat(1f, 3 * 20 * 20).ToArray();
        var output = new float[source.Length];
        RandomRotation.Apply(source, output, 20, 20, 45, fill: 0f);
        Assert.Equal(0f, output[0]);                  // top-left corner
        Assert.Equal(1f, output[(10 * 20) + 10], 5);   // centre
    }

    [Fact]
    public void AnglesStayInRange()
    {
        var rotation = new RandomRotation(10);
        var rng = new Random(7);
        Assert.All(Enumerable.Range(0, 500), _ => Assert.InRange(rotation.Sample(rng), -10.0, 10.0));
    }
}
