using TransferKit.Data.Preprocessing;

namespace TransferKit.Data.Augmentation;

/// <summary>
/// Chooses the box of torchvision's RandomResizedCrop: up to <see cref="Attempts"/> tries of an area fraction uniform in
/// <see cref="Scale"/> and an aspect ratio (width / height) log-uniform in <see cref="Ratio"/>, sides rounded half to
/// even; the first box that fits is placed uniformly. When none fits, the centred box of the whole image clamped to the
/// ratio range. The caller resizes the box to the network input.
/// </summary>
public sealed class RandomResizedCrop
{
    /// <summary>Tries before the centre-crop fallback, as torchvision.</summary>
    public const int Attempts = 10;

    /// <summary>Creates the sampler.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A range is empty or out of its domain (see <see cref="AugmentationOptions"/>).</exception>
    public RandomResizedCrop((double Min, double Max) scale, (double Min, double Max) ratio)
    {
        new AugmentationOptions { CropScale = scale, CropRatio = ratio }.Validate();
        Scale = scale;
        Ratio = ratio;
    }

    /// <summary>Range of the box's area as a fraction of the image's.</summary>
    public (double Min, double Max) Scale { get; }

    /// <summary>Range of the box's width / height.</summary>
    public (double Min, double Max) Ratio { get; }

    /// <summary>Draws a box inside a <paramref name="width"/> x <paramref name="height"/> image.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1.</exception>
    public CropBox Sample(int width, int height, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        double area = (double)width * height;
        double logMin = Math.Log(Ratio.Min), logMax = Math.Log(Ratio.Max);
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            double target = area * Uniform(random, Scale.Min, Scale.Max);
            double aspect = Math.Exp(Uniform(random, logMin, logMax));
            int w = (int)Math.Round(Math.Sqrt(target * aspect), MidpointRounding.ToEven);
            int h = (int)Math.Round(Math.Sqrt(target / aspect), MidpointRounding.ToEven);
            if (w > 0 && w <= width && h > 0 && h <= height)
            {
                int top = random.Next(0, height - h + 1);
                int left = random.Next(0, width - w + 1);
                return new CropBox(top, left, h, w);
            }
        }

        return Fallback(width, height, Ratio);
    }

    /// <summary>The box used when no attempt fits: the whole image, narrowed to the nearest allowed ratio, centred.</summary>
    public static CropBox Fallback(int width, int height, (double Min, double Max) ratio)
    {
        double inRatio = (double)width / height;
        int w = width, h = height;
        if (inRatio < ratio.Min) h = (int)Math.Round(w / ratio.Min, MidpointRounding.ToEven);
        else if (inRatio > ratio.Max) w = (int)Math.Round(h * ratio.Max, MidpointRounding.ToEven);
        return new CropBox((height - h) / 2, (width - w) / 2, h, w);
    }

    internal static double Uniform(Random random, double min, double max) => min + ((max - min) * random.NextDouble());
}
