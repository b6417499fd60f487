namespace TransferKit.Models;

/// <summary>Shape of a <see cref="MobileNetV3"/>; the defaults build torchvision's <c>mobilenet_v3_large()</c>.</summary>
public sealed class MobileNetV3Options
{
    /// <summary>Outputs of the classifier. Default 1000 (ImageNet).</summary>
    public int Classes { get; init; } = 1000;

    /// <summary>The bottleneck rows. Default <see cref="MobileNetV3BlockSpec.Large"/>.</summary>
    public IReadOnlyList<MobileNetV3BlockSpec> Blocks { get; init; } = MobileNetV3BlockSpec.Large;

    /// <summary>Width of the classifier's hidden Linear layer before the multiplier (1280 for Large, 1024 for Small). Default 1280.</summary>
    public int LastChannel { get; init; } = 1280;

    /// <summary>Scales every channel count of <see cref="Blocks"/> and <see cref="LastChannel"/>, rounded to a multiple of 8. Default 1.</summary>
    public double WidthMultiplier { get; init; } = 1.0;

    /// <summary>Dropout probability between the classifier's two Linear layers. Default 0.2.</summary>
    public float Dropout { get; init; } = 0.2f;

    /// <summary>Seed of the weight initialisation and of the dropout masks. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        if (Classes < 1) throw new ArgumentException($"MobileNetV3Options.Classes must be positive, got {Classes}.", nameof(Classes));
        if (LastChannel < 1) throw new ArgumentException($"MobileNetV3Options.LastChannel must be positive, got {LastChannel}.", nameof(LastChannel));
        if (!(WidthMultiplier > 0) || double.IsInfinity(WidthMultiplier))
            throw new ArgumentException($"MobileNetV3Options.WidthMultiplier must be positive, got {WidthMultiplier}.", nameof(WidthMultiplier));
        if (Dropout is < 0f or >= 1f) throw new ArgumentException($"MobileNetV3Options.Dropout must be in [0, 1), got {Dropout}.", nameof(Dropout));
        if (Blocks is null || Blocks.Count == 0) throw new ArgumentException("MobileNetV3Options.Blocks must list at least one row.", nameof(Blocks));
        for (int i = 0; i < Blocks.Count; i++)
        {
            var b = Blocks[i];
            if (b is null || b.InputChannels < 1 || b.ExpandedChannels < 1 || b.OutputChannels < 1 || b.Kernel < 1 || b.Kernel % 2 == 0
                || b.Stride is not (1 or 2) || b.Dilation < 1)
                throw new ArgumentException($"MobileNetV3Options.Blocks[{i}] ({b}) needs positive channels, an odd kernel, stride 1 or 2 and dilation >= 1.", nameof(Blocks));
            if (i > 0 && Blocks[i - 1].OutputChannels != b.InputChannels)
                throw new ArgumentException($"MobileNetV3Options.Blocks[{i}] takes {b.InputChannels} channels but row {i - 1} gives {Blocks[i - 1].OutputChannels}.", nameof(Blocks));
        }
    }
}
