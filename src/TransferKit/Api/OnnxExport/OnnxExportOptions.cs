namespace TransferKit.Api;

/// <summary>Settings of <see cref="TrainedModel.ExportOnnx"/>; validated when the export starts.</summary>
public sealed class OnnxExportOptions
{
    /// <summary>The oldest opset the exporter writes.</summary>
    public const int MinimumOpset = 13;

    /// <summary>The newest opset the exporter writes.</summary>
    public const int MaximumOpset = 18;

    /// <summary>ONNX opset of the default domain, in [<see cref="MinimumOpset"/>, <see cref="MaximumOpset"/>]. Default 13.</summary>
    public int Opset { get; init; } = MinimumOpset;

    /// <summary>
    /// True (the default): the graph's input is RGB pixel values in [0, 255], as ML.NET's <c>ExtractPixels</c> gives by
    /// default, and the graph applies the model's channel order, scale, mean and standard deviation itself. False: the
    /// input is already normalised exactly as TransferKit normalises before the network.
    /// </summary>
    public bool IncludeNormalization { get; init; } = true;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Opset is outside [13, 18] (the message names it).</exception>
    public void Validate()
    {
        if (Opset is < MinimumOpset or > MaximumOpset)
            throw new ArgumentOutOfRangeException(nameof(Opset), Opset, $"OnnxExportOptions.Opset must be in [{MinimumOpset}, {MaximumOpset}].");
    }
}
