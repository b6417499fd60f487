using System.Runtime.Intrinsics;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// A row of float lanes with the few operations the Winograd transforms need, so that each transform is written once
/// and run at 512 bits, 256 bits and one float at a time (the remainder) by the same generic code.
/// </summary>
/// <typeparam name="TSelf">The implementing struct.</typeparam>
internal unsafe interface IWinogradLanes<TSelf> where TSelf : struct, IWinogradLanes<TSelf>
{
    /// <summary>Floats per value.</summary>
    static abstract int Count { get; }

    /// <summary>Reads <see cref="Count"/> floats (unaligned).</summary>
    static abstract TSelf Load(float* source);

    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TSelf Broadcast(float value);

    /// <summary>Writes <see cref="Count"/> floats (unaligned).</summary>
    void Store(float* destination);

    /// <summary>Lane-wise sum.</summary>
    static abstract TSelf operator +(TSelf a, TSelf b);

    /// <summary>Lane-wise difference.</summary>
    static abstract TSelf operator -(TSelf a, TSelf b);

    /// <summary>Lane-wise product.</summary>
    static abstract TSelf operator *(TSelf a, TSelf b);
}

/// <summary>Sixteen floats per value (AVX-512).</summary>
internal readonly unsafe struct Lanes512(Vector512<float> value) : IWinogradLanes<Lanes512>
{
    private readonly Vector512<float> _value = value;

    public static int Count => Vector512<float>.Count;

    public static Lanes512 Load(float* source) => new(Vector512.Load(source));

    public static Lanes512 Broadcast(float value) => new(Vector512.Create(value));

    public void Store(float* destination) => _value.Store(destination);

    public static Lanes512 operator +(Lanes512 a, Lanes512 b) => new(a._value + b._value);

    public static Lanes512 operator -(Lanes512 a, Lanes512 b) => new(a._value - b._value);

    public static Lanes512 operator *(Lanes512 a, Lanes512 b) => new(a._value * b._value);
}

/// <summary>Eight floats per value (AVX2, or two NEON registers).</summary>
internal readonly unsafe struct Lanes256(Vector256<float> value) : IWinogradLanes<Lanes256>
{
    private readonly Vector256<float> _value = value;

    public static int Count => Vector256<float>.Count;

    public static Lanes256 Load(float* source) => new(Vector256.Load(source));

    public static Lanes256 Broadcast(float value) => new(Vector256.Create(value));

    public void Store(float* destination) => _value.Store(destination);

    public static Lanes256 operator +(Lanes256 a, Lanes256 b) => new(a._value + b._value);

    public static Lanes256 operator -(Lanes256 a, Lanes256 b) => new(a._value - b._value);

    public static Lanes256 operator *(Lanes256 a, Lanes256 b) => new(a._value * b._value);
}

/// <summary>One float per value: the remainder after the vector lanes, and the path with no SIMD.</summary>
internal readonly unsafe struct Lanes1(float value) : IWinogradLanes<Lanes1>
{
    private readonly float _value = value;

    public static int Count => 1;

    public static Lanes1 Load(float* source) => new(*source);

    public static Lanes1 Broadcast(float value) => new(value);

    public void Store(float* destination) => *destination = _value;

    public static Lanes1 operator +(Lanes1 a, Lanes1 b) => new(a._value + b._value);

    public static Lanes1 operator -(Lanes1 a, Lanes1 b) => new(a._value - b._value);

    public static Lanes1 operator *(Lanes1 a, Lanes1 b) => new(a._value * b._value);
}
