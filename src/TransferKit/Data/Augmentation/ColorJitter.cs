namespace TransferKit.Data.Augmentation;

/// <summary>
/// torchvision's ColorJitter without hue, on unit-range RGB planes ([3, H, W], values in [0, 1]): each enabled
/// adjustment draws a factor uniform in [max(0, 1 - s), 1 + s] and the adjustments run in a random order. Each one is
/// torchvision's tensor <c>adjust_*</c>: a blend <c>clamp(f * x + (1 - f) * other, 0, 1)</c> with black (brightness),
/// the mean of the grayscale image (contrast) or the pixel's grayscale (saturation), grayscale being
/// 0.2989 R + 0.587 G + 0.114 B. A factor of 1 leaves the image unchanged.
/// </summary>
public sealed class ColorJitter
{
    /// <summary>Creates the augmentation; a strength of 0 disables that adjustment.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A strength is negative or not finite.</exception>
    public ColorJitter(double brightness, double contrast, double saturation)
    {
        new AugmentationOptions { Brightness = brightness, Contrast = contrast, Saturation = saturation }.Validate();
        Brightness = brightness;
        Contrast = contrast;
        Saturation = saturation;
    }

    /// <summary>Brightness strength.</summary>
    public double Brightness { get; }

    /// <summary>Contrast strength.</summary>
    public double Contrast { get; }

    /// <summary>Saturation strength.</summary>
    public double Saturation { get; }

    /// <summary>Draws the order and the factors of the enabled adjustments.</summary>
    public IReadOnlyList<(ColorAdjustment Adjustment, double Factor)> Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ColorAdjustment[] order = [ColorAdjustment.Brightness, ColorAdjustment.Contrast, ColorAdjustment.Saturation];
        random.Shuffle(order);
        var steps = new List<(ColorAdjustment, double)>(3);
        foreach (ColorAdjustment adjustment in order)
        {
            double strength = adjustment switch
            {
                ColorAdjustment.Brightness => Brightness,
                ColorAdjustment.Contrast => Contrast,
                _ => Saturation,
            };
            if (strength > 0) steps.Add((adjustment, RandomResizedCrop.Uniform(random, Math.Max(0, 1 - strength), 1 + strength)));
        }

        return steps;
    }

    /// <summary>Applies <paramref name="steps"/> in order to unit-range RGB planes.</summary>
    public static void Apply(Span<float> planes, IReadOnlyList<(ColorAdjustment Adjustment, double Factor)> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        foreach ((ColorAdjustment adjustment, double factor) in steps)
        {
            switch (adjustment)
            {
                case ColorAdjustment.Brightness: AdjustBrightness(planes, factor); break;
                case ColorAdjustment.Contrast: AdjustContrast(planes, factor); break;
                case ColorAdjustment.Saturation: AdjustSaturation(planes, factor); break;
                default: throw new ArgumentOutOfRangeException(nameof(steps), adjustment, "Unknown colour adjustment.");
            }
        }
    }

    /// <summary>x = clamp(f * x, 0, 1) on every value.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is negative.</exception>
    public static void AdjustBrightness(Span<float> planes, double factor)
    {
        (float f, _) = Weights(factor);
        for (int i = 0; i < planes.Length; i++) planes[i] = Clamp01(f * planes[i]);
    }

    /// <summary>x = clamp(f * x + (1 - f) * m, 0, 1) with m the mean of the grayscale image.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is negative.</exception>
    /// <exception cref="ArgumentException">The length is not a multiple of 3.</exception>
    public static void AdjustContrast(Span<float> planes, double factor)
    {
        (float f, float g) = Weights(factor);
        int plane = PlaneLength(planes);
        double sum = 0;
        for (int i = 0; i < plane; i++) sum += Gray(planes, plane, i);
        float mean = plane > 0 ? (float)(sum / plane) : 0f;
        float offset = g * mean;
        for (int i = 0; i < planes.Length; i++) planes[i] = Clamp01((f * planes[i]) + offset);
    }

    /// <summary>x = clamp(f * x + (1 - f) * gray, 0, 1) with gray the pixel's grayscale value.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is negative.</exception>
    /// <exception cref="ArgumentException">The length is not a multiple of 3.</exception>
    public static void AdjustSaturation(Span<float> planes, double factor)
    {
        (float f, float g) = Weights(factor);
        int plane = PlaneLength(planes);
        for (int i = 0; i < plane; i++)
        {
            float offset = g * Gray(planes, plane, i);
            for (int c = 0; c < 3; c++) planes[(c * plane) + i] = Clamp01((f * planes[(c * plane) + i]) + offset);
        }
    }

    /// <summary>ITU-R 601 luma with torchvision's (and TensorFlow's) rounded weights.</summary>
    private static float Gray(ReadOnlySpan<float> planes, int plane, int i) =>
        (0.2989f * planes[i]) + (0.587f * planes[plane + i]) + (0.114f * planes[(2 * plane) + i]);

    private static (float Factor, float Complement) Weights(double factor)
    {
        if (!(factor >= 0)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be at least 0.");
        return ((float)factor, (float)(1.0 - factor));
    }

    private static int PlaneLength(ReadOnlySpan<float> planes) =>
        planes.Length % 3 == 0 ? planes.Length / 3 : throw new ArgumentException("Expected three planes (R, G, B).", nameof(planes));

    private static float Clamp01(float v) => v < 0f ? 0f : v > 1f ? 1f : v;
}
