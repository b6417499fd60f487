using TransferKit.Tensors;

namespace TransferKit.Kernels;

/// <summary>
/// Temporary aligned float memory for a kernel's workspace (im2col columns, partial sums), rented from
/// <see cref="NativeMemoryPool.Shared"/> and returned on dispose. Contents start undefined.
/// </summary>
public readonly unsafe struct ScratchBuffer : IDisposable
{
    private readonly long _classBytes;

    /// <summary>Rents room for <paramref name="length"/> floats.</summary>
    public ScratchBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        (nint p, _classBytes) = NativeMemoryPool.Shared.Rent((long)length * sizeof(float));
        Pointer = (float*)p;
    }

    /// <summary>First element.</summary>
    public float* Pointer { get; }

    /// <summary>Number of floats.</summary>
    public int Length { get; }

    /// <summary>The memory as a span.</summary>
    public Span<float> Span => new(Pointer, Length);

    /// <summary>Returns the memory to the pool.</summary>
    public void Dispose()
    {
        if (Pointer != null) NativeMemoryPool.Shared.Return((nint)Pointer, _classBytes);
    }
}
