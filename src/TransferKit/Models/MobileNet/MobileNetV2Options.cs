namespace TransferKit.Models;

/// <summary>Shape of a <see cref="MobileNetV2"/>; the defaults build torchvision's <c>mobilenet_v2()</c>.</summary>
public sealed class MobileNetV2Options
{
    /// <summary>Outputs of the classifier. Default 1000 (ImageNet).</summary>
    public int Classes { get; init; } = 1000;

    /// <summary>Scales every layer's channels (then rounded to <see cref="RoundNearest"/>); the last conv keeps at least 1280. Default 1.</summary>
    public double WidthMultiplier { get; init; } = 1.0;

    /// <summary>Channel counts are rounded to a multiple of this (torchvision's <c>round_nearest</c>; 1 turns rounding off). Default 8.</summary>
    public int RoundNearest { get; init; } = 8;

    /// <summary>Dropout probability before the classifier's Linear layer. Default 0.2.</summary>
    public float Dropout { get; init; } = 0.2f;

    /// <summary>The body's (t, c, n, s) rows. Default <see cref="MobileNetV2Stage.ImageNet"/>.</summary>
    public IReadOnlyList<MobileNetV2Stage> Stages { get; init; } = MobileNetV2Stage.ImageNet;

    /// <summary>Seed of the weight initialisation and of the dropout masks. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        if (Classes < 1) throw new ArgumentException($"MobileNetV2Options.Classes must be positive, got {Classes}.", nameof(Classes));
        if (!(WidthMultiplier > 0) || double.IsInfinity(WidthMultiplier))
            throw new ArgumentException($"MobileNetV2Options.WidthMultiplier must be positive, got {WidthMultiplier}.", nameof(WidthMultiplier));
        if (RoundNearest < 1) throw new ArgumentException($"MobileNetV2Options.RoundNearest must be positive, got {RoundNearest}.", nameof(RoundNearest));
        if (Dropout is < 0f or >= 1f) throw new ArgumentException($"MobileNetV2Options.Dropout must be in [0, 1), got {Dropout}.", nameof(Dropout));
        if (Stages is null || Stages.Count == 0) throw new ArgumentException("MobileNetV2Options.Stages must list at least one row.", nameof(Stages));
        for (int i = 0; i < Stages.Count; i++)
        {
            var s = Stages[i];
            if (s is null || s.ExpandRatio < 1 || s.Channels < 1 || s.Repeats < 1 || s.Stride is not (1 or 2))
                throw new ArgumentException($"MobileNetV2Options.Stages[{i}] ({s}) needs t, c, n >= 1 and s of 1 or 2.", nameof(Stages));
        }
    }
}
