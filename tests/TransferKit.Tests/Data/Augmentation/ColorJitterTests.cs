using System.Globalization;
using TransferKit.Data.Augmentation;
using TransferKit.Tests.Golden;

namespace TransferKit.Tests.Data.Augmentation;

public sealed class ColorJitterTests
{
    public static TheoryData<string> Cases => new()
    {
        "brightness_0.0", "brightness_0.6", "brightness_1.3",
        "contrast_0.0", "contrast_0.6", "contrast_1.5",
        "saturation_0.0", "saturation_0.5", "saturation_1.7",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTorchvisionAdjust(string name)
    {
        using var f = GoldenFixture.Load("Preprocessing/color_jitter");
        float[] planes = f.Floats("input");
        double factor = double.Parse(name[(name.IndexOf('_', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
        Action<float[]> adjust = name[0] switch
        {
            'b' => p => ColorJitter.AdjustBrightness(p, factor),
            'c' => p => ColorJitter.AdjustContrast(p, factor),
            _ => p => ColorJitter.AdjustSaturation(p, factor),
        };

        adjust(planes);

        NumericAssert.Close(f.Floats(name), planes, 0f, Tolerances.ColorJitterAbsolute, name);
    }

    [Fact]
    public void FactorOneIsIdentity()
    {
        using var f = GoldenFixture.Load("Preprocessing/color_jitter");
        float[] input = f.Floats("input");
        float[] planes = (float[])input.Clone();
        ColorJitter.AdjustBrightness(planes, 1);
        ColorJitter.AdjustContrast(planes, 1);
        ColorJitter.AdjustSaturation(planes, 1);
        Assert.Equal(input, planes);
    }

    [Fact]
    public void SampleDrawsEachEnabledAdjustmentOnceWithinItsRange()
    {
        var jitter = new ColorJitter(0.4, 0, 0.2);
        var rng = new Random(8);
        for (int i = 0; i < 200; i++)
        {
            var steps = jitter.Sample(rng);
            Assert.Equal(2, steps.Count);
            Assert.DoesNotContain(steps, s => s.Adjustment == ColorAdjustment.Contrast);
            foreach ((ColorAdjustment a, double factor) in steps)
            {
                double s = a == ColorAdjustment.Brightness ? 0.4 : 0.2;
                Assert.InRange(factor, 1 - s, 1 + s);
            }
        }
    }

    [Fact]
    public void NegativeFactorThrows() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ColorJitter.AdjustContrast(new float[3], -0.1));
}
