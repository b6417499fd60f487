namespace TransferKit.Autograd;

/// <summary>Element-wise arithmetic of <see cref="Ops.Broadcast"/>.</summary>
public enum BinaryKind
{
    /// <summary>a + b.</summary>
    Add,
    /// <summary>a - b.</summary>
    Subtract,
    /// <summary>a * b.</summary>
    Multiply,
    /// <summary>a / b.</summary>
    Divide,
}
