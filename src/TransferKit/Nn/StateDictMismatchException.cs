namespace TransferKit.Nn;

/// <summary>
/// Raised by <see cref="Module.LoadStateDict"/> when keys are missing, unexpected, or have the wrong shape.
/// Every problem is listed, each with its key and, for shape problems, both shapes.
/// </summary>
public sealed class StateDictMismatchException : TransferKitException
{
    /// <summary>Creates the error from the lists of problems.</summary>
    public StateDictMismatchException(IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> shapeMismatches)
        : base(Describe(missing, unexpected, shapeMismatches))
    {
        Missing = missing;
        Unexpected = unexpected;
        ShapeMismatches = shapeMismatches;
    }

    /// <summary>Keys the module has and the state lacks.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Keys the state has and the module lacks.</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>"key: expected [..], got [..]" for each shape mismatch.</summary>
    public IReadOnlyList<string> ShapeMismatches { get; }

    private static string Describe(IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> shapes)
    {
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"missing keys: {string.Join(", ", missing)}");
        if (unexpected.Count > 0) parts.Add($"unexpected keys: {string.Join(", ", unexpected)}");
        if (shapes.Count > 0) parts.Add($"shape mismatches: {string.Join("; ", shapes)}");
        return "State dict does not match the module: " + string.Join(". ", parts) + ".";
    }
}
