namespace TransferKit.Weights;

/// <summary>One tensor of a PyTorch checkpoint's state_dict: a strided view of one of the archive's storages.</summary>
/// <param name="Name">The state_dict key, e.g. <c>layer1.0.conv1.weight</c>.</param>
/// <param name="DType">The storage's element type.</param>
/// <param name="Shape">The dimensions, outermost first; empty for a scalar.</param>
/// <param name="Strides">Elements to step per index of each dimension (row-major contiguous tensors have the suffix products of <paramref name="Shape"/>).</param>
/// <param name="StorageKey">The storage's name: its bytes are the archive entry <c>data/&lt;StorageKey&gt;</c>. Tensors may share a storage.</param>
/// <param name="StorageOffset">Index, in elements, of the tensor's first element in its storage.</param>
public sealed record PyTorchTensorInfo(string Name, SafetensorsDType DType, int[] Shape, long[] Strides, string StorageKey, long StorageOffset)
{
    /// <summary>Number of elements (product of <see cref="Shape"/>, 1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (n, d) => n * d);

    /// <summary>Whether the elements lie in row-major order with no gaps, so they are read as one block.</summary>
    public bool IsContiguous
    {
        get
        {
            long expected = 1;
            for (int d = Shape.Length - 1; d >= 0; d--)
            {
                if (Shape[d] != 1 && Strides[d] != expected) return false;
                expected *= Shape[d];
            }
            return true;
        }
    }

    /// <summary>The shape formatted as <c>[2, 3]</c>, for messages.</summary>
    public string ShapeText => SafetensorsTensorInfo.FormatShape(Shape);
}
