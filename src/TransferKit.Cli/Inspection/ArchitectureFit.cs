using TransferKit.Models;

namespace TransferKit.Cli.Inspection;

/// <summary>A catalog architecture whose backbone a weights file fits exactly (every key and shape), and how its head compares.</summary>
/// <param name="Architecture">The architecture.</param>
/// <param name="KeyMap">The key names that fit: <c>identity</c> (torchvision's) or a timm map's name.</param>
/// <param name="Head">How the file's head relates to the architecture's ImageNet head.</param>
/// <param name="HeadTensors">The file's head tensors with their shapes, for a replaced head.</param>
internal sealed record ArchitectureFit(ArchitectureInfo Architecture, string KeyMap, HeadFit Head, IReadOnlyList<string> HeadTensors)
{
    /// <summary>One line such as <c>resnet18: every tensor, with the ImageNet head (1000 classes)</c>.</summary>
    public string Describe()
    {
        string names = KeyMap == Weights.KeyMap.Identity.Name ? "" : $" (key names: {KeyMap})";
        string head = Head switch
        {
            HeadFit.Exact => $"every tensor, with its ImageNet head '{Architecture.HeadName}' (1000 classes)",
            HeadFit.Missing => $"the backbone; the head '{Architecture.HeadName}' is missing",
            _ => $"the backbone; the head '{Architecture.HeadName}' is replaced: {string.Join(", ", HeadTensors.Take(4))}{(HeadTensors.Count > 4 ? ", ..." : "")}",
        };
        return $"{Architecture.Name}{names}: {head}";
    }
}

/// <summary>How a file's head compares with an architecture's ImageNet head.</summary>
internal enum HeadFit
{
    /// <summary>The same keys and shapes: the 1000-class ImageNet head.</summary>
    Exact,

    /// <summary>No head tensors: a backbone only.</summary>
    Missing,

    /// <summary>Head tensors of other keys or shapes: another class count, or a TransferKit head.</summary>
    Replaced,
}
