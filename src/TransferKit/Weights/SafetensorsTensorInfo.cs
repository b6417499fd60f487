namespace TransferKit.Weights;

/// <summary>
/// One tensor's entry in a safetensors header.
/// </summary>
/// <param name="Name">The tensor's key, e.g. <c>features.0.0.weight</c>.</param>
/// <param name="DType">The stored element type.</param>
/// <param name="Shape">The dimensions, outermost first (row-major); empty for a scalar.</param>
/// <param name="Begin">Byte offset of the first element, relative to the start of the data buffer (after the header).</param>
/// <param name="End">Byte offset one past the last element, relative to the start of the data buffer.</param>
public sealed record SafetensorsTensorInfo(string Name, SafetensorsDType DType, int[] Shape, long Begin, long End)
{
    /// <summary>Number of elements (product of <see cref="Shape"/>, 1 for a scalar).</summary>
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (int d in Shape) n *= d;
            return n;
        }
    }

    /// <summary>
    /// Whether the key names a BatchNorm buffer rather than a learnable parameter: a running statistic
    /// (<c>.running_mean</c>, <c>.running_var</c>) or PyTorch's <c>.num_batches_tracked</c> counter.
    /// </summary>
    public bool IsBatchNormStatistic =>
        Name.EndsWith(".running_mean", StringComparison.Ordinal) || Name.EndsWith(".running_var", StringComparison.Ordinal)
        || Name.EndsWith(".num_batches_tracked", StringComparison.Ordinal);

    /// <summary>Number of bytes the tensor occupies (<see cref="End"/> minus <see cref="Begin"/>).</summary>
    public long ByteLength => End - Begin;

    /// <summary>The shape formatted as <c>[2, 3]</c>, for messages.</summary>
    public string ShapeText => FormatShape(Shape);

    internal static string FormatShape(int[] shape) => "[" + string.Join(", ", shape) + "]";
}
