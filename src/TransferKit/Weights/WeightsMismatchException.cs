using TransferKit.Nn;

namespace TransferKit.Weights;

/// <summary>
/// Raised by <see cref="WeightsLoader"/> when a weights file does not fit the model: every missing key, unexpected key
/// and shape mismatch is listed at once, with the file's path and the key map used. Nothing is copied into the model
/// then. When <see cref="WeightsLoader"/> raises it, the message also says which catalog architectures the file does
/// fit (<see cref="FileFits"/>). The inner exception is the equivalent <see cref="StateDictMismatchException"/>.
/// </summary>
public sealed class WeightsMismatchException : TransferKitException
{
    /// <summary>
    /// Creates the error; <paramref name="hint"/> (optional) is appended to the message, then the architectures in
    /// <paramref name="fileFits"/> (optional: null when they were not looked for, empty when the file fits none).
    /// </summary>
    public WeightsMismatchException(
        string filePath, string keyMapName, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected,
        IReadOnlyList<WeightsShapeMismatch> shapeMismatches, string? hint = null, IReadOnlyList<ArchitectureMatch>? fileFits = null)
        : base(BuildMessage(filePath, keyMapName, missing, unexpected, shapeMismatches, hint, fileFits),
            new StateDictMismatchException(missing, unexpected, shapeMismatches.Select(m => m.ToString()).ToList()))
    {
        FilePath = filePath;
        KeyMapName = keyMapName;
        Missing = missing;
        Unexpected = unexpected;
        ShapeMismatches = shapeMismatches;
        FileFits = fileFits;
    }

    /// <summary>The weights file.</summary>
    public string FilePath { get; }

    /// <summary>Name of the <see cref="KeyMap"/> that renamed the file's keys.</summary>
    public string KeyMapName { get; }

    /// <summary>Model keys the file lacks.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>File keys (after renaming) the model lacks.</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>Keys present on both sides with different shapes.</summary>
    public IReadOnlyList<WeightsShapeMismatch> ShapeMismatches { get; }

    /// <summary>
    /// The catalog architectures the file fits (<see cref="ArchitectureIdentifier"/>): empty when it fits none, null
    /// when they were not looked for.
    /// </summary>
    public IReadOnlyList<ArchitectureMatch>? FileFits { get; }

    private static string BuildMessage(
        string filePath, string keyMapName, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected,
        IReadOnlyList<WeightsShapeMismatch> shapes, string? hint, IReadOnlyList<ArchitectureMatch>? fits)
    {
        ArgumentNullException.ThrowIfNull(missing);
        ArgumentNullException.ThrowIfNull(unexpected);
        ArgumentNullException.ThrowIfNull(shapes);
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"{Count(missing.Count, "missing key")}: {string.Join(", ", missing)}");
        if (unexpected.Count > 0) parts.Add($"{Count(unexpected.Count, "unexpected key")}: {string.Join(", ", unexpected)}");
        if (shapes.Count > 0) parts.Add($"{Count(shapes.Count, "shape mismatch", "es")}: {string.Join("; ", shapes)}");
        string text = $"{filePath}: the weights do not match the model (key map '{keyMapName}'). {string.Join(". ", parts)}.";
        if (hint is not null) text += " " + hint;
        if (fits is null) return text;
        return text + (fits.Count == 0
            ? " The file fits no catalog architecture."
            : $" The file fits {string.Join(", ", fits)}.");
    }

    private static string Count(int n, string noun, string plural = "s") => n == 1 ? $"1 {noun}" : $"{n} {noun}{plural}";
}
