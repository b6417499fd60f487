using TransferKit.Tensors;

namespace TransferKit.Models.Onnx;

/// <summary>The inputs of one tensor operator during a forward pass: tensors, or constants (shapes, axes) by position.</summary>
internal sealed class OnnxArgs(object?[] values, bool training, long opset, int? fixedBatch, ulong dropoutSeed)
{
    public int Count => values.Length;

    public bool Training => training;

    public long Opset => opset;

    public int? FixedBatch => fixedBatch;

    public ulong DropoutSeed => dropoutSeed;

    public bool Has(int i) => i < values.Length && values[i] is not null;

    public Tensor Tensor(int i) => i < values.Length && values[i] is Tensor t ? t : throw new ArgumentException($"input {i} is not a tensor.");

    public Tensor? TensorOrNull(int i) => Has(i) ? Tensor(i) : null;

    public OnnxConstant Constant(int i) => i < values.Length && values[i] is OnnxConstant c ? c : throw new ArgumentException($"input {i} must be a constant (shape, axes, bounds), not computed from the image.");

    public OnnxConstant? ConstantOrNull(int i) => Has(i) ? Constant(i) : null;
}
