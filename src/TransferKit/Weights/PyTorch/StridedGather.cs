namespace TransferKit.Weights;

/// <summary>Copies a strided view's elements, of any element size, into row-major order.</summary>
internal static class StridedGather
{
    /// <summary>
    /// Writes the elements of the view (<paramref name="shape"/>, <paramref name="strides"/> in elements, starting at
    /// element 0 of <paramref name="source"/>) to <paramref name="destination"/> in row-major order.
    /// </summary>
    /// <param name="source">The storage bytes from the view's first element on; the caller checked the view fits.</param>
    /// <param name="elementSize">Bytes per element.</param>
    /// <param name="shape">The view's shape.</param>
    /// <param name="strides">The view's strides, in elements.</param>
    /// <param name="destination">Exactly product(shape) * elementSize bytes.</param>
    public static void Copy(ReadOnlySpan<byte> source, int elementSize, int[] shape, long[] strides, Span<byte> destination)
    {
        if (destination.IsEmpty) return;
        int rank = shape.Length;
        if (rank == 0)
        {
            source[..elementSize].CopyTo(destination);
            return;
        }
        // The innermost dimension is copied as one block when its stride is 1; an odometer walks the outer ones.
        int inner = shape[rank - 1];
        long innerStride = strides[rank - 1];
        var index = new int[rank];
        long offset = 0;
        int written = 0;
        int rowBytes = inner * elementSize;
        while (true)
        {
            var row = destination.Slice(written, rowBytes);
            if (innerStride == 1)
            {
                source.Slice((int)(offset * elementSize), rowBytes).CopyTo(row);
            }
            else
            {
                for (int i = 0; i < inner; i++)
                    source.Slice((int)((offset + i * innerStride) * elementSize), elementSize).CopyTo(row.Slice(i * elementSize, elementSize));
            }
            written += rowBytes;
            int d = rank - 2;
            for (; d >= 0; d--)
            {
                offset += strides[d];
                if (++index[d] < shape[d]) break;
                offset -= strides[d] * shape[d];
                index[d] = 0;
            }
            if (d < 0) return;
        }
    }
}
