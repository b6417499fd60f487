using TransferKit.Models;

namespace TransferKit.Weights;

/// <summary>
/// A catalog architecture whose whole backbone a weights file has (every key and shape, after renaming by
/// <see cref="KeyMap"/>), and how the file's head compares with the architecture's ImageNet head. Found by
/// <see cref="ArchitectureIdentifier"/>.
/// </summary>
/// <param name="Architecture">The architecture the backbone fits.</param>
/// <param name="KeyMap">
/// The key map under which the keys fit: <see cref="KeyMap.Identity"/> for torchvision's names, or a
/// <see cref="TimmKeyMaps"/> map; pass it to <c>UsePretrainedWeights(path, keyMap)</c> or <see cref="WeightsLoadOptions.KeyMap"/>.
/// </param>
/// <param name="Head">Whether the head is ImageNet's, missing, or replaced.</param>
/// <param name="HeadTensors">
/// The file's head tensors (keys under <see cref="ArchitectureInfo.HeadName"/>), named by torchvision's keys after the
/// key map, in key order; empty when the head is missing.
/// </param>
/// <param name="HeadOutputs">
/// Outputs of the file's head: 1000 for ImageNet's, the class count of a head that has ImageNet's layout with another
/// output size (1 for a single-sigmoid head); null when the head is missing or laid out otherwise (a TransferKit head
/// with hidden layers, for instance).
/// </param>
public sealed record ArchitectureMatch(
    ArchitectureInfo Architecture, KeyMap KeyMap, HeadFit Head, IReadOnlyList<SafetensorsTensorInfo> HeadTensors, int? HeadOutputs)
{
    private const int ShownHeadTensors = 4;

    /// <summary>
    /// One line such as <c>resnet18: every tensor, with its ImageNet head 'fc' (1000 classes)</c> or
    /// <c>resnet18: the backbone; the head 'fc' is replaced: fc.bias [3], fc.weight [3, 512]</c>.
    /// </summary>
    public string Describe()
    {
        string names = KeyMap.IsIdentity ? "" : $" (key names: {KeyMap.Name})";
        string head = Head switch
        {
            HeadFit.Exact => $"every tensor, with its ImageNet head '{Architecture.HeadName}' (1000 classes)",
            HeadFit.Missing => $"the backbone; the head '{Architecture.HeadName}' is missing",
            _ => $"the backbone; the head '{Architecture.HeadName}' is replaced: "
                + string.Join(", ", HeadTensors.Take(ShownHeadTensors).Select(t => $"{t.Name} {t.ShapeText}"))
                + (HeadTensors.Count > ShownHeadTensors ? ", ..." : ""),
        };
        return $"{Architecture.Name}{names}: {head}";
    }

    /// <summary>A short form for messages: <c>resnet50 (head replaced, 3 outputs)</c>, <c>mobilenet_v2 (timm-mobilenetv2_100 key names, head missing)</c>.</summary>
    public override string ToString()
    {
        string head = Head switch
        {
            HeadFit.Exact => "with its ImageNet head",
            HeadFit.Missing => "head missing",
            _ => HeadOutputs is { } outputs ? $"head replaced, {outputs} {(outputs == 1 ? "output" : "outputs")}" : "head replaced",
        };
        return KeyMap.IsIdentity ? $"{Architecture.Name} ({head})" : $"{Architecture.Name} ({KeyMap.Name} key names, {head})";
    }
}
