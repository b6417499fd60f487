using System.Collections;

namespace TransferKit.Tensors;

/// <summary>
/// The dimensions of a tensor, outermost first (NCHW for images). Immutable, compared by value.
/// </summary>
public readonly struct Shape : IEquatable<Shape>, IReadOnlyList<int>
{
    private readonly int[]? _dims;
    private readonly int _elementCount;

    /// <summary>Creates a shape. Every dimension must be non-negative and the element count must fit in an <see cref="int"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative or the element count overflows.</exception>
    public Shape(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        long count = 1;
        foreach (int d in dims)
        {
            if (d < 0) throw new ArgumentOutOfRangeException(nameof(dims), $"Shape dimensions must be non-negative, got [{string.Join(", ", dims)}].");
            count *= d;
            if (count > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(dims), $"Shape [{string.Join(", ", dims)}] has more than {int.MaxValue} elements.");
        }
        _dims = (int[])dims.Clone();
        _elementCount = (int)count;
    }

    /// <summary>The rank-0 shape of a scalar (one element); also what <c>default(Shape)</c> is.</summary>
    public static Shape Scalar => default;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _dims?.Length ?? 0;

    /// <summary>Product of the dimensions (1 for a scalar shape).</summary>
    public int ElementCount => _dims is null ? 1 : _elementCount;

    /// <summary>The size of dimension <paramref name="index"/>; negative indices count from the end.</summary>
    public int this[int index] => _dims![index < 0 ? Rank + index : index];

    /// <summary>Number of dimensions, for <see cref="IReadOnlyList{T}"/>.</summary>
    public int Count => Rank;

    /// <summary>A copy of the dimensions.</summary>
    public int[] ToArray() => _dims is null ? [] : (int[])_dims.Clone();

    /// <summary>The product of dimensions from <paramref name="start"/> (inclusive) onward, e.g. C*H*W for start 1.</summary>
    public int ElementsFrom(int start)
    {
        int n = 1;
        for (int i = start; i < Rank; i++) n *= _dims![i];
        return n;
    }

    /// <inheritdoc />
    public bool Equals(Shape other) => (_dims ?? []).AsSpan().SequenceEqual(other._dims ?? []);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Shape s && Equals(s);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (int d in _dims ?? []) h.Add(d);
        return h.ToHashCode();
    }

    /// <summary>Value equality.</summary>
    public static bool operator ==(Shape left, Shape right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Shape left, Shape right) => !left.Equals(right);

    /// <summary>Formats as <c>[2, 3, 224, 224]</c>.</summary>
    public override string ToString() => "[" + string.Join(", ", _dims ?? []) + "]";

    /// <inheritdoc />
    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)(_dims ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
