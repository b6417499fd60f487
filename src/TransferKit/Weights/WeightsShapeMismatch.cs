namespace TransferKit.Weights;

/// <summary>A tensor whose shape in a weights file differs from the model's.</summary>
/// <param name="Key">The model's key (torchvision's name).</param>
/// <param name="SourceKey">The key in the file, before the key map (equal to <paramref name="Key"/> when not renamed).</param>
/// <param name="ModelShape">The shape the model expects.</param>
/// <param name="FileShape">The shape stored in the file.</param>
public sealed record WeightsShapeMismatch(string Key, string SourceKey, IReadOnlyList<int> ModelShape, IReadOnlyList<int> FileShape)
{
    /// <summary>Formats as <c>fc.weight: model [10, 2048], file [1000, 2048]</c>, naming the file's key when it was renamed.</summary>
    public override string ToString()
    {
        string source = SourceKey == Key ? "" : $" (file key '{SourceKey}')";
        return $"{Key}{source}: model [{string.Join(", ", ModelShape)}], file [{string.Join(", ", FileShape)}]";
    }
}
