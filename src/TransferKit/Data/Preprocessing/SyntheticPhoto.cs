using TransferKit.Data.Decoding;

namespace TransferKit.Data.Preprocessing;

/// <summary>
/// A photo-like RGB test image (sky and ground gradients, shaded discs, striped boxes, per-pixel noise) made with
/// integer arithmetic only, bit for bit the same as <c>synthetic_photo</c> in <c>tools/fixtures/preprocessing.py</c>,
/// so fixtures and the Pillow peer benchmark need not store it. For tests and benchmarks.
/// </summary>
internal static class SyntheticPhoto
{
    /// <summary>Generates a <paramref name="width"/> x <paramref name="height"/> image from <paramref name="seed"/>.</summary>
    public static DecodedImage Generate(int width, int height, int seed)
    {
        var img = new int[width * height * 3];
        long state = seed & 0x7FFFFFFF;
        int Draw(int n)
        {
            state = ((state * 1103515245) + 12345) & 0x7FFFFFFF;
            return (int)((state >> 8) % n);
        }

        int horizon = (height * 3 / 5) + Draw(Math.Max(1, height / 10));
        int skyRows = Math.Max(1, horizon), depth = Math.Max(1, height - horizon);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = ((y * width) + x) * 3;
                if (y < horizon)
                {
                    img[i] = 70 + (110 * y / skyRows);
                    img[i + 1] = 120 + (80 * y / skyRows);
                    img[i + 2] = 230 - (60 * y / skyRows);
                }
                else
                {
                    int grass = ((x * 7) + (y * 3)) % 23, yg = y - horizon;
                    img[i] = 90 + (60 * yg / depth) + grass;
                    img[i + 1] = 110 + (30 * yg / depth) + grass;
                    img[i + 2] = 50 + (20 * yg / depth);
                }
            }
        }

        for (int shape = 0; shape < 7; shape++)
        {
            int kind = Draw(2), cx = Draw(width), cy = Draw(height);
            int r = Draw(256), g = Draw(256), b = Draw(256);
            if (kind == 0) PaintDisc(img, width, height, cx, cy, 8 + Draw(Math.Max(1, Math.Min(width, height) / 4)), r, g, b);
            else PaintBox(img, width, height, cx, cy, 12 + Draw(Math.Max(1, width / 3)), 12 + Draw(Math.Max(1, height / 3)), r, g, b);
        }

        var pixels = new byte[img.Length];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    int i = (((y * width) + x) * 3) + c;
                    pixels[i] = (byte)Math.Clamp(img[i] + Noise(x, y, c, seed), 0, 255);
                }
            }
        }

        return new DecodedImage(width, height, pixels);
    }

    private static void PaintDisc(int[] img, int width, int height, int cx, int cy, int radius, int r, int g, int b)
    {
        long r2 = (long)radius * radius;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                long d2 = ((long)(x - cx) * (x - cx)) + ((long)(y - cy) * (y - cy));
                if (d2 > r2) continue;
                int shade = (int)(d2 * 90 / r2), i = ((y * width) + x) * 3;
                img[i] = r - shade;
                img[i + 1] = g - shade;
                img[i + 2] = b - shade;
            }
        }
    }

    private static void PaintBox(int[] img, int width, int height, int left, int top, int w, int h, int r, int g, int b)
    {
        for (int y = top; y < Math.Min(top + h, height); y++)
        {
            for (int x = left; x < Math.Min(left + w, width); x++)
            {
                int stripe = ((x - left) / 4 % 2) * 24, i = ((y * width) + x) * 3;
                img[i] = r + stripe;
                img[i + 1] = g + stripe;
                img[i + 2] = b + stripe;
            }
        }
    }

    private static int Noise(int x, int y, int c, int seed)
    {
        unchecked
        {
            uint h = ((uint)x * 73856093u) ^ ((uint)y * 19349663u) ^ ((uint)(c + 1) * 83492791u) ^ ((uint)seed * 2654435761u);
            h = (h ^ (h >> 16)) * 0x45D9F3Bu;
            h = (h ^ (h >> 16)) * 0x45D9F3Bu;
            h ^= h >> 16;
            return (int)(h % 33) - 16;
        }
    }
}
