namespace TransferKit.Models;

/// <summary>
/// Channel arithmetic shared by the MobileNet and EfficientNet families, with torchvision's exact rounding so that
/// width multipliers give torchvision's layer sizes (and therefore its state_dict shapes).
/// </summary>
internal static class ChannelRounding
{
    /// <summary>
    /// Rounds <paramref name="value"/> to the nearest multiple of <paramref name="divisor"/> (halves up), at least
    /// <paramref name="minValue"/> (default: the divisor), and adds one more divisor when rounding lost over 10% of the
    /// value. This is the TensorFlow MobileNet rule that torchvision's <c>_make_divisible</c> follows; channel counts
    /// that are multiples of 8 suit SIMD kernels.
    /// </summary>
    public static int MakeDivisible(double value, int divisor, int? minValue = null)
    {
        int min = minValue ?? divisor;
        int rounded = Math.Max(min, (int)(value + divisor / 2.0) / divisor * divisor);
        if (rounded < 0.9 * value) rounded += divisor;
        return rounded;
    }

    /// <summary>Channels scaled by a width multiplier and rounded to a multiple of 8.</summary>
    public static int Scale(int channels, double widthMultiplier) => MakeDivisible(channels * widthMultiplier, 8);
}
