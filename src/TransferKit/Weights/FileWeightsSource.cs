namespace TransferKit.Weights;

/// <summary>Weights in a local safetensors file.</summary>
/// <param name="Path">The file's path.</param>
public sealed record FileWeightsSource(string Path) : WeightsSource
{
    /// <summary>The file's path.</summary>
    public string Path { get; } = string.IsNullOrEmpty(Path) ? throw new ArgumentException("The weights file path must not be empty.", nameof(Path)) : Path;

    /// <summary>Formats as the path.</summary>
    public override string ToString() => Path;
}
