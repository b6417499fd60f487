namespace TransferKit.Weights;

/// <summary>
/// Raised when a weights file has no tensor with the requested name. The message names the file, the key and
/// a few of the keys the file does hold.
/// </summary>
public sealed class TensorNotFoundException : TransferKitException
{
    /// <summary>Creates the error for <paramref name="tensorName"/> missing from <paramref name="filePath"/>.</summary>
    public TensorNotFoundException(string filePath, string tensorName, IReadOnlyCollection<string> available)
        : base(BuildMessage(filePath, tensorName, available))
    {
        FilePath = filePath;
        TensorName = tensorName;
    }

    /// <summary>The file that was searched.</summary>
    public string FilePath { get; }

    /// <summary>The key that is missing.</summary>
    public string TensorName { get; }

    private static string BuildMessage(string filePath, string tensorName, IReadOnlyCollection<string> available)
    {
        ArgumentNullException.ThrowIfNull(available);
        const int Shown = 8;
        string list = string.Join(", ", available.Take(Shown).Select(n => $"'{n}'"));
        if (available.Count > Shown) list += $", ... ({available.Count - Shown} more)";
        return available.Count == 0
            ? $"{filePath}: no tensor named '{tensorName}' (the file holds no tensors)."
            : $"{filePath}: no tensor named '{tensorName}'; the file holds {list}.";
    }
}
