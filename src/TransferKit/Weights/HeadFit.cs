namespace TransferKit.Weights;

/// <summary>How a weights file's head compares with a catalog architecture's ImageNet head (see <see cref="ArchitectureIdentifier"/>).</summary>
public enum HeadFit
{
    /// <summary>The same keys and shapes: the 1000-class ImageNet head.</summary>
    Exact,

    /// <summary>No head tensors at all: a backbone only.</summary>
    Missing,

    /// <summary>Head tensors with other keys or shapes: another class count, or a TransferKit head.</summary>
    Replaced,
}
