using TransferKit.Data.Augmentation;
using TransferKit.Data.Preprocessing;

namespace TransferKit.Tests.Data.Augmentation;

public sealed class RandomErasingTests
{
    [Fact]
    public void ErasesExactlyTheBoxInEveryPlane()
    {
        const int w = 6, h = 5;
        float[] planes = Enumerable.Range(0, 3 * w * h).Select(i => i + 1f).ToArray();
        var box = new CropBox(1, 2, 3, 2);

        RandomErasing.Apply(planes, w, h, box, -7f);

        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    int i = (c * w * h) + (y * w) + x;
                    bool inside = y >= 1 && y < 4 && x >= 2 && x < 4;
                    Assert.Equal(inside ? -7f : i + 1f, planes[i]);
                }
            }
        }
    }

    [Fact]
    public void SampledBoxesAreSmallerThanTheImageAndInsideIt()
    {
        var erasing = new RandomErasing(1.0, (0.02, 0.33), (0.3, 3.3));
        var rng = new Random(4);
        for (int i = 0; i < 500; i++)
        {
            CropBox? box = erasing.Sample(56, 40, rng);
            if (box is not CropBox b) continue;
            Assert.True(b.Height < 40 && b.Width < 56);
            Assert.True(b.Width == 0 || b.Height == 0 || b.FitsIn(56, 40), $"{b}");
        }
    }

    [Fact]
    public void ProbabilityZeroNeverErases()
    {
        var erasing = new RandomErasing(0.0, (0.02, 0.33), (0.3, 3.3));
        var rng = new Random(5);
        Assert.All(Enumerable.Range(0, 200), _ => Assert.Null(erasing.Sample(20, 20, rng)));
    }

    [Fact]
    public void ProbabilityOneErasesAboutTheRequestedArea()
    {
        var erasing = new RandomErasing(1.0, (0.1, 0.1), (1.0, 1.0));
        CropBox? box = erasing.Sample(100, 100, new Random(6));
        Assert.Equal((32, 32), (box!.Value.Height, box.Value.Width));   // sqrt(1000) = 31.6 rounds to 32
    }
}
