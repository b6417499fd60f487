namespace TransferKit.MLNet.Data;

/// <summary>
/// A column the trainer or featurizer needs is missing from the IDataView, or holds the wrong type. Raised when the
/// schema is checked, before any image is read or any training is done.
/// </summary>
public sealed class ColumnMismatchException : TransferKitException
{
    /// <summary>Creates the error.</summary>
    /// <param name="option">The option that names the column (for example <c>FeatureColumnName</c>).</param>
    /// <param name="columnName">The column's name.</param>
    /// <param name="expectedType">The type the column must have, in words.</param>
    /// <param name="actualType">The column's type, or null when the column is missing.</param>
    /// <param name="hint">What to add to the pipeline to fix it.</param>
    public ColumnMismatchException(string option, string columnName, string expectedType, string? actualType, string hint)
        : base(actualType is null
            ? $"{option}: the input has no column '{columnName}'; expected a column of {expectedType}. {hint}"
            : $"{option}: column '{columnName}' is {actualType}; expected {expectedType}. {hint}")
    {
        ColumnName = columnName;
        ExpectedType = expectedType;
        ActualType = actualType;
    }

    /// <summary>The column's name.</summary>
    public string ColumnName { get; }

    /// <summary>The type the column must have, in words.</summary>
    public string ExpectedType { get; }

    /// <summary>The column's type, or null when it is missing.</summary>
    public string? ActualType { get; }
}
