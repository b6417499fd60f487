using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;

namespace TransferKit.Tests.Api;

/// <summary>
/// A task whose good learning rates are known: noisy warm-tinted against cool-tinted images. A small CNN with Adam
/// learns it in two epochs at any rate from 1e-3 to 1 and not at all at 1e-5 or below, and a sweep to 10 diverges.
/// </summary>
internal static class ColourTask
{
    public const int Size = 12;

    public static InMemoryImageDataset Render(int count = 64, int seed = 7)
    {
        var random = new Random(seed);
        var images = new List<DecodedImage>();
        var labels = new List<int>();
        for (int i = 0; i < count; i++)
        {
            int label = i % 2;
            var pixels = new byte[Size * Size * 3];
            for (int p = 0; p < Size * Size; p++)
            {
                pixels[3 * p] = Noisy(label == 0 ? 170 : 90, random);
                pixels[(3 * p) + 1] = Noisy(128, random);
                pixels[(3 * p) + 2] = Noisy(label == 0 ? 90 : 170, random);
            }
            images.Add(new DecodedImage(Size, Size, pixels));
            labels.Add(label);
        }
        return InMemoryImageDataset.FromDecoded(images, labels, ["warm", "cool"]);
    }

    private static byte Noisy(int mean, Random random) => (byte)Math.Clamp(mean + random.Next(-60, 61), 0, 255);
}
