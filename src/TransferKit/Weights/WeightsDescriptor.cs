using TransferKit.Models;

namespace TransferKit.Weights;

/// <summary>
/// Everything needed to use a set of pre-trained weights, in one typed record: where they are, the SHA-256 that proves
/// they are the right bytes, the architecture they belong to, the preprocessing they were trained with, and how their
/// keys map to torchvision's. Load one with <see cref="WeightsLoader.LoadAsync"/>.
/// </summary>
/// <example>
/// <code>
/// var weights = new WeightsDescriptor
/// {
///     Name = "ResNet-50 (timm a1_in1k)",
///     Architecture = "resnet50",
///     Source = WeightsSource.FromUrl("https://huggingface.co/timm/resnet50.a1_in1k/resolve/main/model.safetensors"),
///     Sha256 = "...64 hex digits, from the file's page on the hub...",
///     Preprocessing = new PreprocessingSpec(224, 235, ResizeInterpolation.Bicubic, NormalizationSpec.ImageNet),
///     KeyMap = TimmKeyMaps.ResNet,
/// };
/// </code>
/// </example>
public sealed record WeightsDescriptor
{
    /// <summary>A display name, e.g. <c>ResNet-50 (timm a1_in1k)</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The architecture's builder name in the catalog, e.g. <c>resnet50</c>.</summary>
    public required string Architecture { get; init; }

    /// <summary>Where the safetensors file is.</summary>
    public required WeightsSource Source { get; init; }

    /// <summary>
    /// The file's SHA-256 as 64 hex digits. Required for a URL source (downloads are always verified); optional for a
    /// local file, which is verified when it is given.
    /// </summary>
    public string? Sha256 { get; init; }

    /// <summary>The evaluation preprocessing the weights expect.</summary>
    public required PreprocessingSpec Preprocessing { get; init; }

    /// <summary>Renames the file's keys to torchvision's. Default <see cref="KeyMap.Identity"/>.</summary>
    public KeyMap KeyMap { get; init; } = KeyMap.Identity;

    /// <summary>Number of classes of the file's head. Default 1000 (ImageNet-1k).</summary>
    public int Classes { get; init; } = 1000;

    /// <summary>Checks every field.</summary>
    /// <exception cref="ArgumentException">A field is missing or malformed; the message names it.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
            throw new ArgumentException("WeightsDescriptor.Name must not be empty.", nameof(Name));
        if (string.IsNullOrWhiteSpace(Architecture))
            throw new ArgumentException($"WeightsDescriptor.Architecture of '{Name}' must not be empty.", nameof(Architecture));
        if (Source is null)
            throw new ArgumentException($"WeightsDescriptor.Source of '{Name}' must be set.", nameof(Source));
        if (Sha256 is not null && !Sha256Hex.IsValid(Sha256))
            throw new ArgumentException($"WeightsDescriptor.Sha256 of '{Name}' must be 64 hex digits, got '{Sha256}'.", nameof(Sha256));
        if (Source is UrlWeightsSource && Sha256 is null)
            throw new ArgumentException($"WeightsDescriptor.Sha256 of '{Name}' is required for a URL source, so the download can be verified.", nameof(Sha256));
        if (Preprocessing is null)
            throw new ArgumentException($"WeightsDescriptor.Preprocessing of '{Name}' must be set.", nameof(Preprocessing));
        Preprocessing.Validate();
        if (KeyMap is null)
            throw new ArgumentException($"WeightsDescriptor.KeyMap of '{Name}' must be set (KeyMap.Identity for torchvision names).", nameof(KeyMap));
        if (Classes < 1)
            throw new ArgumentException($"WeightsDescriptor.Classes of '{Name}' must be positive, got {Classes}.", nameof(Classes));
    }

    /// <summary>Formats as the display name and the source.</summary>
    public override string ToString() => $"{Name} ({Source})";
}
