using TransferKit.Weights.Onnx;

namespace TransferKit.Models.Onnx;

/// <summary>
/// A value known without running the network's tensors: an integer initializer, a <c>Constant</c>, or shape arithmetic
/// (<c>Shape</c>, <c>Gather</c>, <c>Concat</c> ...). Integers stay exact in long; floats are float.
/// </summary>
internal sealed record OnnxConstant(int[] Dims, long[]? Integers, float[]? Floats)
{
    public int Length => Integers?.Length ?? Floats!.Length;

    public bool IsFloat => Floats is not null;

    public static OnnxConstant Of(OnnxTensor t) => new(t.Dims.Select(d => (int)d).ToArray(), t.Integers, t.Floats);

    public static OnnxConstant Ints(params long[] values) => new([values.Length], values, null);

    public long[] AsIntegers() => Integers ?? Floats!.Select(f => (long)f).ToArray();

    public float[] AsFloats() => Floats ?? Integers!.Select(i => (float)i).ToArray();

    public double At(int i) => Integers is not null ? Integers[i] : Floats![i];

    public OnnxConstant WithDims(int[] dims) => this with { Dims = dims };

    public OnnxConstant Select(int[] dims, int[] indices) =>
        new(dims, Integers is null ? null : indices.Select(i => Integers[i]).ToArray(), Floats is null ? null : indices.Select(i => Floats[i]).ToArray());
}
