using TransferKit.Data.Preprocessing;

namespace TransferKit.Data.Augmentation;

/// <summary>
/// torchvision's RandomErasing on the normalised tensor: with probability <see cref="Probability"/>, up to ten tries of a
/// box with area fraction uniform in <see cref="Scale"/> and height / width log-uniform in <see cref="Ratio"/>; the first
/// box strictly smaller than the image is placed uniformly and every channel in it set to <see cref="Value"/>.
/// </summary>
public sealed class RandomErasing
{
    /// <summary>Creates the augmentation.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (see <see cref="AugmentationOptions"/>).</exception>
    public RandomErasing(double probability, (double Min, double Max) scale, (double Min, double Max) ratio, float value = 0f)
    {
        new AugmentationOptions { ErasingProbability = probability, ErasingScale = scale, ErasingRatio = ratio, ErasingValue = value }.Validate();
        Probability = probability;
        Scale = scale;
        Ratio = ratio;
        Value = value;
    }

    /// <summary>Probability of erasing.</summary>
    public double Probability { get; }

    /// <summary>Range of the box's area as a fraction of the image's.</summary>
    public (double Min, double Max) Scale { get; }

    /// <summary>Range of the box's height / width.</summary>
    public (double Min, double Max) Ratio { get; }

    /// <summary>The value written into the box.</summary>
    public float Value { get; }

    /// <summary>Draws the box to erase in a <paramref name="width"/> x <paramref name="height"/> image, or null for none.</summary>
    public CropBox? Sample(int width, int height, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(random.NextDouble() < Probability)) return null;
        double area = (double)width * height;
        double logMin = Math.Log(Ratio.Min), logMax = Math.Log(Ratio.Max);
        for (int attempt = 0; attempt < RandomResizedCrop.Attempts; attempt++)
        {
            double target = area * RandomResizedCrop.Uniform(random, Scale.Min, Scale.Max);
            double aspect = Math.Exp(RandomResizedCrop.Uniform(random, logMin, logMax));
            int h = (int)Math.Round(Math.Sqrt(target * aspect), MidpointRounding.ToEven);
            int w = (int)Math.Round(Math.Sqrt(target / aspect), MidpointRounding.ToEven);
            if (!(h < height && w < width)) continue;
            int top = random.Next(0, height - h + 1);
            int left = random.Next(0, width - w + 1);
            return new CropBox(top, left, h, w);
        }

        return null;
    }

    /// <summary>Sets <paramref name="box"/> of every plane of <paramref name="planes"/> ([C, height, width]) to <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of width * height, or the box is outside the image.</exception>
    public static void Apply(Span<float> planes, int width, int height, CropBox box, float value)
    {
        int plane = width * height;
        if (plane < 1 || planes.Length % plane != 0) throw new ArgumentException($"Length {planes.Length} is not a whole number of {width}x{height} planes.", nameof(planes));
        if (box.Width == 0 || box.Height == 0) return;
        box.CheckFitsIn(width, height, nameof(box));
        for (int p = 0; p < planes.Length; p += plane)
        {
            for (int y = box.Top; y < box.Bottom; y++) planes.Slice(p + (y * width) + box.Left, box.Width).Fill(value);
        }
    }
}
