namespace TransferKit.Data.Augmentation;

/// <summary>One of the colour adjustments of <see cref="ColorJitter"/>.</summary>
public enum ColorAdjustment
{
    /// <summary>Scale towards black: x * f.</summary>
    Brightness,

    /// <summary>Blend with the mean of the grayscale image.</summary>
    Contrast,

    /// <summary>Blend with the pixel's own grayscale value.</summary>
    Saturation,
}
