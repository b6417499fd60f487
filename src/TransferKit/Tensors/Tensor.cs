using System.Runtime.CompilerServices;

namespace TransferKit.Tensors;

/// <summary>
/// A dense float32 tensor in row-major order (NCHW for images) over a 64-byte-aligned pooled native buffer.
/// A tensor owns its storage: dispose it, or create it inside a <see cref="TensorScope"/> that disposes it.
/// Ops return new tensors owned by the caller.
/// </summary>
public sealed unsafe class Tensor : IDisposable
{
    private TensorBuffer? _buffer;

    private Tensor(Shape shape, TensorBuffer buffer)
    {
        Shape = shape;
        _buffer = buffer;
        TensorScope.Track(this);
    }

    /// <summary>The dimensions, outermost first.</summary>
    public Shape Shape { get; }

    /// <summary>Number of elements.</summary>
    public int Length => Shape.ElementCount;

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Rank;

    /// <summary>
    /// Whether gradients flow to this tensor. Parameters set it; outputs of recorded ops inherit it.
    /// </summary>
    public bool RequiresGrad { get; set; }

    /// <summary>The accumulated gradient of a leaf tensor (a parameter) after a backward pass; same shape as this tensor.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>The scope that will dispose this tensor, if any.</summary>
    internal TensorScope? Scope { get; set; }

    /// <summary>Whether <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => _buffer is null;

    /// <summary>Pointer to the first element. Valid until the tensor is disposed.</summary>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public float* Data => Buffer.Pointer;

    /// <summary>The elements as a writable span over native memory.</summary>
    public Span<float> Span => new(Buffer.Pointer, Length);

    /// <summary>The elements as a read-only span.</summary>
    public ReadOnlySpan<float> ReadOnlySpan => new(Buffer.Pointer, Length);

    private TensorBuffer Buffer
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _buffer ?? throw new ObjectDisposedException(nameof(Tensor), $"Tensor of shape {Shape} was used after it was disposed.");
    }

    /// <summary>Creates a tensor with undefined contents (fastest; use when every element is written next).</summary>
    public static Tensor Empty(Shape shape) => new(shape, new TensorBuffer(shape.ElementCount, NativeMemoryPool.Shared));

    /// <inheritdoc cref="Empty(Shape)"/>
    public static Tensor Empty(params int[] dims) => Empty(new Shape(dims));

    /// <summary>Creates a tensor filled with zeros.</summary>
    public static Tensor Zeros(Shape shape)
    {
        var t = Empty(shape);
        t.Span.Clear();
        return t;
    }

    /// <inheritdoc cref="Zeros(Shape)"/>
    public static Tensor Zeros(params int[] dims) => Zeros(new Shape(dims));

    /// <summary>Creates a tensor with every element equal to <paramref name="value"/>.</summary>
    public static Tensor Full(Shape shape, float value)
    {
        var t = Empty(shape);
        t.Span.Fill(value);
        return t;
    }

    /// <summary>Creates a tensor holding a copy of <paramref name="data"/>.</summary>
    /// <exception cref="ShapeMismatchException">The data length differs from the shape's element count.</exception>
    public static Tensor FromSpan(ReadOnlySpan<float> data, Shape shape)
    {
        if (data.Length != shape.ElementCount)
            throw new ShapeMismatchException($"FromSpan: {data.Length} values do not fill shape {shape} ({shape.ElementCount} elements).");
        var t = Empty(shape);
        data.CopyTo(t.Span);
        return t;
    }

    /// <inheritdoc cref="FromSpan(ReadOnlySpan{float}, Shape)"/>
    public static Tensor FromArray(float[] data, params int[] dims) => FromSpan(data, new Shape(dims));

    /// <summary>
    /// A view with another shape over the same storage (no copy). The view must be disposed too;
    /// the storage is freed when the last of them is.
    /// </summary>
    /// <exception cref="ShapeMismatchException">The element counts differ.</exception>
    public Tensor Reshape(Shape shape)
    {
        if (shape.ElementCount != Length)
            throw new ShapeMismatchException($"Reshape: cannot view {Shape} ({Length} elements) as {shape} ({shape.ElementCount} elements).");
        var buffer = Buffer;
        buffer.AddReference();
        return new Tensor(shape, buffer);
    }

    /// <inheritdoc cref="Reshape(Shape)"/>
    public Tensor Reshape(params int[] dims) => Reshape(new Shape(dims));

    /// <summary>A deep copy, not requiring gradients.</summary>
    public Tensor Clone() => FromSpan(ReadOnlySpan, Shape);

    /// <summary>Copies <paramref name="source"/>'s elements into this tensor.</summary>
    /// <exception cref="ShapeMismatchException">The shapes differ.</exception>
    public void CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Shape != Shape) throw new ShapeMismatchException("CopyFrom", Shape, source.Shape);
        source.ReadOnlySpan.CopyTo(Span);
    }

    /// <summary>Copies rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) of the first dimension into a new tensor (a mini-batch).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is outside the first dimension.</exception>
    public Tensor SliceRows(int start, int count)
    {
        if (Rank == 0 || start < 0 || count < 0 || start + count > Shape[0])
            throw new ArgumentOutOfRangeException(nameof(start), $"Rows [{start}, {start + count}) are outside {Shape}.");
        var dims = Shape.ToArray();
        dims[0] = count;
        int row = Shape.ElementsFrom(1);
        return FromSpan(ReadOnlySpan.Slice(start * row, count * row), new Shape(dims));
    }

    /// <summary>Gathers the rows listed in <paramref name="indices"/> (first dimension) into a new tensor, in that order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the first dimension.</exception>
    public Tensor GatherRows(ReadOnlySpan<int> indices)
    {
        if (Rank == 0) throw new ArgumentOutOfRangeException(nameof(indices), "A scalar has no rows.");
        var dims = Shape.ToArray();
        dims[0] = indices.Length;
        int row = Shape.ElementsFrom(1);
        var result = Empty(new Shape(dims));
        var source = ReadOnlySpan;
        var target = result.Span;
        for (int i = 0; i < indices.Length; i++)
        {
            int r = indices[i];
            if ((uint)r >= (uint)Shape[0])
            {
                result.Dispose();
                throw new ArgumentOutOfRangeException(nameof(indices), $"Row {r} is outside {Shape}.");
            }
            source.Slice(r * row, row).CopyTo(target.Slice(i * row, row));
        }
        return result;
    }

    /// <summary>Copies the elements into a new managed array.</summary>
    public float[] ToArray() => ReadOnlySpan.ToArray();

    /// <summary>The single element of a one-element tensor.</summary>
    /// <exception cref="ShapeMismatchException">The tensor has more than one element.</exception>
    public float Item()
    {
        if (Length != 1) throw new ShapeMismatchException($"Item: tensor of shape {Shape} has {Length} elements, not 1.");
        return Span[0];
    }

    /// <summary>Throws <see cref="ShapeMismatchException"/> unless this tensor's shape is <paramref name="expected"/>.</summary>
    public void EnsureShape(Shape expected, string operation)
    {
        if (Shape != expected) throw new ShapeMismatchException(operation, expected, Shape);
    }

    /// <summary>Stops <see cref="TensorScope"/> from disposing this tensor: the caller now owns it.</summary>
    public Tensor Persist()
    {
        TensorScope.Untrack(this);
        return this;
    }

    /// <summary>Releases the storage (shared with views until the last is disposed). Idempotent.</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        buffer?.Release();
        Grad?.Dispose();
        Grad = null;
    }

    /// <summary>Formats as <c>Tensor[2, 3]</c>.</summary>
    public override string ToString() => $"Tensor{Shape}";
}
