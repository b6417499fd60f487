namespace TransferKit.Tensors;

/// <summary>Raised when an operation receives tensors whose shapes do not fit together. The message names both shapes.</summary>
public sealed class ShapeMismatchException : TransferKitException
{
    /// <summary>Creates the error for <paramref name="operation"/> with the shape it expected and the one it got.</summary>
    public ShapeMismatchException(string operation, Shape expected, Shape actual)
        : base($"{operation}: expected shape {expected}, got {actual}.")
    {
        Expected = expected;
        Actual = actual;
    }

    /// <summary>Creates the error with a free-form explanation (for shapes that must agree in only some dimensions).</summary>
    public ShapeMismatchException(string message) : base(message) { }

    /// <summary>The shape the operation needed, when one exact shape was needed.</summary>
    public Shape? Expected { get; }

    /// <summary>The shape the operation received.</summary>
    public Shape? Actual { get; }
}
