using TransferKit.Data.Decoding;

namespace TransferKit.Tests.Data.Decoding;

/// <summary>Fixture paths, deterministic test patterns, and comparisons shared by the decoding tests.</summary>
internal static class ImageTestData
{
    /// <summary>The full path of a committed fixture under Fixtures/Images (copied to the test output).</summary>
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Images", name);

    /// <summary>The bytes of a committed fixture.</summary>
    public static byte[] ReadFixture(string name) => File.ReadAllBytes(Fixture(name));

    /// <summary>Smooth gradients with a flat block: compresses well, decodes close to the original.</summary>
    public static byte[] SmoothRgb(int width, int height)
    {
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = ((y * width) + x) * 3;
                rgb[i] = (byte)(x * 255 / Math.Max(1, width - 1));
                rgb[i + 1] = (byte)(y * 255 / Math.Max(1, height - 1));
                rgb[i + 2] = (byte)(128 + (int)(100 * Math.Sin((x + y) * 0.05)));
            }
        }

        return rgb;
    }

    /// <summary>Seeded noise over a gradient: large entropy-coded data, so a cut lands inside the scan.</summary>
    public static byte[] NoisyRgb(int width, int height, int seed)
    {
        var random = new Random(seed);
        byte[] rgb = SmoothRgb(width, height);
        for (int i = 0; i < rgb.Length; i++)
        {
            rgb[i] = (byte)Math.Clamp(rgb[i] + random.Next(-40, 41), 0, 255);
        }

        return rgb;
    }

    /// <summary>
    /// Four flat quadrants (top-left red, top-right green, bottom-left blue, bottom-right white), so every rotation
    /// and mirror is distinguishable.
    /// </summary>
    public static byte[] Quadrants(int width, int height)
    {
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                (byte r, byte g, byte b) = QuadrantColor(x < width / 2, y < height / 2);
                int i = ((y * width) + x) * 3;
                rgb[i] = r;
                rgb[i + 1] = g;
                rgb[i + 2] = b;
            }
        }

        return rgb;
    }

    /// <summary>The colour of a quadrant of <see cref="Quadrants"/>.</summary>
    public static (byte R, byte G, byte B) QuadrantColor(bool left, bool top) => (left, top) switch
    {
        (true, true) => (255, 0, 0),
        (false, true) => (0, 255, 0),
        (true, false) => (0, 0, 255),
        _ => (255, 255, 255),
    };

    /// <summary>Peak signal-to-noise ratio in dB between two equally long byte buffers (infinity when equal).</summary>
    public static double Psnr(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double sum = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = expected[i] - actual[i];
            sum += d * d;
        }

        double mse = sum / expected.Length;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    /// <summary>Largest absolute difference between two equally long byte buffers.</summary>
    public static int MaxDifference(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        int worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }

        return worst;
    }

    /// <summary>Asserts that decoding <paramref name="data"/> fails with <paramref name="failure"/>, and returns the error.</summary>
    public static ImageDecodeException AssertFails(ImageDecodeFailure failure, byte[] data, ImageDecodeOptions? options = null, string name = "test.jpg")
    {
        var ex = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(data, name, options));
        Assert.True(ex.Failure == failure, $"expected {failure}, got {ex.Failure}: {ex.Message}");
        Assert.StartsWith(name + ": ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(name, ex.SourceName);
        return ex;
    }

    /// <summary>Runs <paramref name="action"/> and returns the bytes it allocated on this thread.</summary>
    public static long AllocatedBy(Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
