using TransferKit.Tensors;

namespace TransferKit.Autograd;

/// <summary>
/// The differentiable primitives. Each op computes its forward pass with the CPU kernels, returns a new
/// tensor owned by the caller, and records a backward rule on the open <see cref="Tape"/> when an input
/// requires a gradient. Layers in <c>TransferKit.Nn</c> only compose these.
/// </summary>
public static partial class Ops
{
    private static void RequireRank(Tensor t, int rank, string op, string what)
    {
        if (t.Rank != rank)
            throw new ShapeMismatchException($"{op}: {what} must have rank {rank}, got {t.Shape}.");
    }

    private static unsafe float* PointerOrNull(Tensor? t) => t is null ? null : t.Data;
}
