namespace TransferKit.Models;

/// <summary>
/// The catalog of architectures: one <see cref="ArchitectureInfo"/> per network with torchvision's facts (parameters,
/// GFLOPs, published accuracy and its source, preprocessing, freezable units). List and compare them in code:
/// <code>foreach (var a in Architectures.All.OrderBy(a => a.ParameterCount)) Console.WriteLine($"{a.Name} {a.Top1}%");</code>
/// </summary>
public static partial class Architectures
{
    /// <summary>Every architecture, by family.</summary>
    public static IReadOnlyList<ArchitectureInfo> All =>
        [.. ResNetFamily, .. MobileNetFamily, .. EfficientNetFamily, .. InceptionFamily, .. VggFamily, .. DenseNetFamily];

    /// <summary>The architecture called <paramref name="name"/> (torchvision's builder name, e.g. <c>resnet50</c>; case-insensitive).</summary>
    /// <exception cref="ArgumentException">No architecture has that name; the message lists the names.</exception>
    public static ArchitectureInfo Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"No architecture named '{name}'. Known: {string.Join(", ", All.Select(a => a.Name))}.", nameof(name));
    }
}
