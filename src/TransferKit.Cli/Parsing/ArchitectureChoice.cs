using TransferKit.Api;
using TransferKit.Models;

namespace TransferKit.Cli.Parsing;

/// <summary>
/// An <c>--arch</c> value: a catalog architecture (torchvision's name, such as <c>resnet50</c>) or <c>baseline</c>, the
/// small CNN trained from scratch; or the network an ONNX <c>--weights</c> brings with it (<see cref="OnnxModel"/>).
/// </summary>
/// <param name="Name">The name as the catalog spells it, <c>baseline</c>, or the ONNX backbone's name.</param>
/// <param name="Info">The catalog entry or imported ONNX backbone, or null for the baseline.</param>
/// <param name="OnnxModel">For an ONNX backbone, the <c>.onnx</c> file whose graph and weights it is; null otherwise.</param>
internal sealed record ArchitectureChoice(string Name, ArchitectureInfo? Info, string? OnnxModel = null)
{
    /// <summary>The name that picks the from-scratch baseline CNN.</summary>
    public const string BaselineName = "baseline";

    /// <summary>Whether this is the baseline CNN.</summary>
    public bool IsBaseline => Info is null;

    /// <summary>Every accepted name: the baseline, then the catalog.</summary>
    public static IReadOnlyList<string> Names => [BaselineName, .. Architectures.All.Select(a => a.Name)];

    /// <summary>Parses one name (case-insensitive).</summary>
    /// <exception cref="FormatException">No architecture has the name; the message lists the names.</exception>
    public static ArchitectureChoice Parse(string text)
    {
        string name = text.Trim();
        if (name.Equals(BaselineName, StringComparison.OrdinalIgnoreCase) || name.Equals(NetworkBlueprint.BaselineCnnName, StringComparison.OrdinalIgnoreCase))
            return new(BaselineName, null);
        var info = Architectures.All.FirstOrDefault(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            ?? throw new FormatException($"unknown architecture '{text}'; choose one of {string.Join(", ", Names)}.");
        return new(info.Name, info);
    }

    /// <summary>Parses a comma-separated list (<c>--arch baseline,resnet18</c>).</summary>
    /// <exception cref="FormatException">A name is unknown or repeated.</exception>
    public static IReadOnlyList<ArchitectureChoice> ParseList(string text)
    {
        var choices = ValueParsers.NameList(text).Select(Parse).ToList();
        var repeated = choices.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        return repeated is null ? choices : throw new FormatException($"'{repeated.Key}' is listed twice.");
    }

    /// <summary>The freezable units' names: the catalog's, or the baseline's one unit per block.</summary>
    public IReadOnlyList<string> UnitNames(int baselineBlocks) =>
        Info?.Units ?? [.. Enumerable.Range(0, baselineBlocks).Select(i => $"features.{i}")];

    /// <summary>Formats as the name.</summary>
    public override string ToString() => Name;
}
