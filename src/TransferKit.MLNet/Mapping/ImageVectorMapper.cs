using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace TransferKit.MLNet.Mapping;

/// <summary>
/// What a TransferKit transformer computes from one image column: a float vector per row (class probabilities or
/// features), from which its output columns are read. Batches of rows are computed together; an image that cannot
/// be decoded gives a vector of NaN and a warning, never an exception in the middle of a cursor.
/// </summary>
internal abstract class ImageVectorMapper
{
    /// <summary>The input column of encoded image bytes.</summary>
    public abstract string InputColumnName { get; }

    /// <summary>Elements of each row's vector.</summary>
    public abstract int VectorLength { get; }

    /// <summary>The columns this mapper adds, in order.</summary>
    public abstract IReadOnlyList<DataViewSchema.DetachedColumn> OutputColumns { get; }

    /// <summary>Rows computed together when a cursor runs over many rows.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Where decode failures are reported.</summary>
    public IChannelProvider? Log { get; init; }

    /// <summary>Computes the vectors of <paramref name="images"/> (encoded bytes; null for a missing value) into <paramref name="vectors"/>.</summary>
    public abstract void Map(IReadOnlyList<ReadOnlyMemory<byte>?> images, IReadOnlyList<string> rowNames, float[][] vectors);

    /// <summary>A getter for output column <paramref name="output"/> that reads the current row's vector.</summary>
    public abstract Delegate Getter(int output, Func<float[]> vector);

    /// <summary>Reports images that could not be decoded to the MLContext's log.</summary>
    protected void Warn(string message)
    {
        if (Log is null) return;
        using var channel = Log.Start("TransferKit");
        channel.Warning(MessageSensitivity.None, message);
    }
}
