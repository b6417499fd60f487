namespace TransferKit.Models;

/// <summary>
/// How 8-bit RGB pixels become network input: x = (pixel / 255 - Mean[c]) / Std[c], in the channel order
/// <see cref="ChannelOrder"/>. Caffe-style weights use BGR order with 0..255 scale and mean subtraction.
/// </summary>
/// <param name="Mean">Per-channel mean, in the target channel order and on the <see cref="Scale"/> scale.</param>
/// <param name="Std">Per-channel standard deviation, likewise.</param>
/// <param name="Scale">255 divides pixels first (0..1 scale); 1 keeps 0..255 (Caffe).</param>
/// <param name="ChannelOrder">RGB, or BGR for Caffe-converted weights.</param>
public sealed record NormalizationSpec(IReadOnlyList<float> Mean, IReadOnlyList<float> Std, float Scale = 255f, ChannelOrder ChannelOrder = ChannelOrder.Rgb)
{
    /// <summary>torchvision's ImageNet statistics: mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225).</summary>
    public static NormalizationSpec ImageNet { get; } = new([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>Scales to [-1, 1] (Inception and MobileNet weights from TensorFlow): mean 0.5, std 0.5.</summary>
    public static NormalizationSpec MinusOneToOne { get; } = new([0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]);

    /// <summary>Caffe-style: BGR order, 0..255 scale, ImageNet mean subtracted, no division.</summary>
    public static NormalizationSpec Caffe { get; } = new([103.939f, 116.779f, 123.68f], [1f, 1f, 1f], 1f, ChannelOrder.Bgr);

    /// <summary>Checks that there are three finite means and three finite, positive standard deviations, and a finite positive scale.</summary>
    /// <exception cref="ArgumentException">A value is missing, NaN, infinite or (for Std and Scale) not positive; the message names it.</exception>
    public void Validate()
    {
        const string name = "PreprocessingSpec.Normalization";
        if (Mean is not { Count: 3 }) throw new ArgumentException($"{name}.Mean needs three values, got {Mean?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}.", nameof(Mean));
        if (Std is not { Count: 3 }) throw new ArgumentException($"{name}.Std needs three values, got {Std?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}.", nameof(Std));
        for (int c = 0; c < 3; c++)
        {
            if (!float.IsFinite(Mean[c])) throw new ArgumentException($"{name}.Mean[{c}] must be finite, got {Mean[c]}.", nameof(Mean));
            if (!(Std[c] > 0) || !float.IsFinite(Std[c])) throw new ArgumentException($"{name}.Std[{c}] must be positive and finite, got {Std[c]}: it divides every pixel.", nameof(Std));
        }
        if (!(Scale > 0) || !float.IsFinite(Scale)) throw new ArgumentException($"{name}.Scale must be positive and finite, got {Scale}.", nameof(Scale));
        if (!Enum.IsDefined(ChannelOrder)) throw new ArgumentException($"{name}.ChannelOrder {(int)ChannelOrder} is not a known order.", nameof(ChannelOrder));
    }

    /// <summary>Value equality, comparing the means and standard deviations element by element.</summary>
    public bool Equals(NormalizationSpec? other) =>
        other is not null && Mean.SequenceEqual(other.Mean) && Std.SequenceEqual(other.Std) && Scale == other.Scale && ChannelOrder == other.ChannelOrder;

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (float m in Mean) h.Add(m);
        foreach (float d in Std) h.Add(d);
        h.Add(Scale);
        h.Add(ChannelOrder);
        return h.ToHashCode();
    }
}

/// <summary>Order of the colour channels of network input.</summary>
public enum ChannelOrder
{
    /// <summary>Red, green, blue.</summary>
    Rgb,

    /// <summary>Blue, green, red (Caffe).</summary>
    Bgr,
}
