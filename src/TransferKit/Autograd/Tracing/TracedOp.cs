using TransferKit.Tensors;

namespace TransferKit.Autograd;

/// <summary>One primitive op seen by an <see cref="OpTrace"/>: inputs in the op's parameter order (null for an absent optional one).</summary>
internal sealed record TracedOp(TracedOpKind Kind, Tensor Output, IReadOnlyList<Tensor?> Inputs, object? Settings);
