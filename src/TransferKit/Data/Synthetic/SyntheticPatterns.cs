using TransferKit.Tensors;

namespace TransferKit.Data.Synthetic;

/// <summary>
/// A seeded, in-memory image classification task of oriented stripes, checkerboards, rings and blobs, each with random
/// frequency, phase, colours and noise. Random phase makes the classes inseparable for a linear model on pixels,
/// while a small CNN learns them. Images are [3, size, size] floats in roughly [-1, 1].
/// </summary>
public static class SyntheticPatterns
{
    /// <summary>The pattern families, in class order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["horizontal stripes", "vertical stripes", "diagonal stripes", "checkerboard", "rings", "anti-diagonal stripes"];

    /// <summary>Generates <paramref name="count"/> labelled images.</summary>
    /// <param name="count">Number of images.</param>
    /// <param name="classes">Number of classes, 2 to <see cref="ClassNames"/>.Count; labels cycle through them.</param>
    /// <param name="size">Height and width in pixels (at least 8).</param>
    /// <param name="seed">Seed; the same seed gives the same images.</param>
    /// <param name="noise">Standard deviation of added Gaussian noise.</param>
    /// <returns>Images [count, 3, size, size] and labels in [0, classes).</returns>
    public static (Tensor Images, int[] Labels) Generate(int count, int classes, int size, int seed, float noise = 0.3f)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classes, ClassNames.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        var random = new Random(seed);
        var images = Tensor.Empty(count, 3, size, size);
        var labels = new int[count];
        var pixels = images.Span;
        int plane = size * size;
        Span<float> fg = stackalloc float[3];
        Span<float> bg = stackalloc float[3];
        for (int n = 0; n < count; n++)
        {
            int label = n % classes;
            labels[n] = label;
            double freq = (1.5 + 2.5 * random.NextDouble()) * 2 * Math.PI / size;
            double phase = random.NextDouble() * 2 * Math.PI;
            double cx = size * (0.3 + 0.4 * random.NextDouble()), cy = size * (0.3 + 0.4 * random.NextDouble());
            for (int c = 0; c < 3; c++)
            {
                fg[c] = (float)(random.NextDouble() * 2 - 1);
                bg[c] = (float)(random.NextDouble() * 2 - 1);
            }
            var image = pixels.Slice(n * 3 * plane, 3 * plane);
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                {
                    double v = label switch
                    {
                        0 => Math.Sin(freq * y + phase),
                        1 => Math.Sin(freq * x + phase),
                        2 => Math.Sin(freq * (x + y) / Math.Sqrt(2) + phase),
                        3 => Math.Sin(freq * x + phase) * Math.Sin(freq * y + phase),
                        4 => Math.Sin(freq * Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)) + phase),
                        _ => Math.Sin(freq * (x - y) / Math.Sqrt(2) + phase),
                    };
                    float t = (float)(0.5 + 0.5 * v);
                    for (int c = 0; c < 3; c++)
                        image[c * plane + y * size + x] = bg[c] + (fg[c] - bg[c]) * t + noise * (float)NextGaussian(random);
                }
            }
        }
        return (images, labels);
    }

    private static double NextGaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
