namespace TransferKit.Models.Onnx;

/// <summary>Choices made when an ONNX graph becomes an <see cref="OnnxNetwork"/>.</summary>
public sealed record OnnxImportOptions
{
    /// <summary>
    /// The graph output the network returns; null (the default) takes the first declared output. Any value computed in the
    /// graph may be named, e.g. the pooled features in front of a classifier.
    /// </summary>
    public string? Output { get; init; }

    /// <summary>Whether imported weights start trainable (default true); BatchNorm statistics are buffers either way.</summary>
    public bool Trainable { get; init; } = true;
}
