using TransferKit.Data.Decoding;
using TransferKit.Data.Preprocessing;
using TransferKit.Tests.Golden;

namespace TransferKit.Tests.Data.Preprocessing;

public sealed class SyntheticPhotoTests
{
    /// <summary>The photo the fixture was made from, after checking it is bit for bit Python's.</summary>
    internal static DecodedImage FixturePhoto(GoldenFixture f)
    {
        DecodedImage photo = SyntheticPhoto.Generate(int.Parse(f.Meta("width")), int.Parse(f.Meta("height")), int.Parse(f.Meta("seed")));
        long sum = 0, weighted = 0;
        for (int i = 0; i < photo.Pixels.Length; i++)
        {
            sum += photo.Pixels[i];
            weighted += photo.Pixels[i] * (long)((i % 251) + 1);
        }

        Assert.Equal(long.Parse(f.Meta("pixel_sum")), sum);
        Assert.Equal(long.Parse(f.Meta("pixel_weighted_sum")), weighted);
        return photo;
    }

    [Fact]
    public void GeneratorMatchesPython()
    {
        using var f = PreprocessingFixtures.Load("resize_photo_500x375");
        Assert.Equal(500, FixturePhoto(f).Width);
    }
}
