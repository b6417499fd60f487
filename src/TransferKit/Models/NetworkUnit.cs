using TransferKit.Nn;

namespace TransferKit.Models;

/// <summary>
/// One freezable unit of a network, in forward order: the stem, a ResNet stage (<c>layer1</c>), a MobileNetV2 block
/// (<c>features.3</c>). Running every unit's modules in order from the input gives the final feature map.
/// Freeze depth is stated in units ("freeze the first N").
/// </summary>
/// <param name="Name">The unit's name, as users write it (<c>stem</c>, <c>layer3</c>, <c>features.14</c>, <c>Mixed_6a</c>).</param>
/// <param name="Modules">The modules the unit runs, in order (one for most units; the ResNet stem has conv1, bn1, relu, maxpool).</param>
public sealed record NetworkUnit(string Name, IReadOnlyList<Module> Modules);
