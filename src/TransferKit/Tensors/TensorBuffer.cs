namespace TransferKit.Tensors;

/// <summary>
/// Pooled native float storage shared by a tensor and its reshaped views. Reference counted: the memory
/// goes back to the pool when the last tensor using it is disposed.
/// </summary>
internal sealed unsafe class TensorBuffer
{
    private readonly NativeMemoryPool _pool;
    private readonly long _classBytes;
    private int _references = 1;

    public TensorBuffer(int length, NativeMemoryPool pool)
    {
        _pool = pool;
        Length = length;
        (nint p, _classBytes) = pool.Rent((long)length * sizeof(float));
        Pointer = (float*)p;
    }

    public float* Pointer { get; private set; }

    public int Length { get; }

    public bool IsReleased => Pointer == null;

    public void AddReference()
    {
        if (Interlocked.Increment(ref _references) <= 1)
            throw new ObjectDisposedException(nameof(Tensor), "The tensor's storage was already released.");
    }

    public void Release()
    {
        int left = Interlocked.Decrement(ref _references);
        if (left == 0)
        {
            _pool.Return((nint)Pointer, _classBytes);
            Pointer = null;
        }
    }
}
