using TransferKit.Kernels.Convolution;
using TransferKit.Nn;

namespace TransferKit.Models.Inference;

/// <summary>
/// The kernels' forms of a convolution's own weights (GEMM panels, Winograd's transformed weights), kept across calls
/// for a convolution that no batch norm follows (DenseNet's 3x3 and transition convolutions), under the same
/// conditions and invalidation as a folded pair (<see cref="FoldedConvBatchNorm"/>): without them every call rebuilt
/// them, which at batch 1 cost DenseNet-121 about a tenth of its forward pass.
/// </summary>
/// <param name="conv">The convolution.</param>
/// <param name="inference">Whether its weights are kept whenever nothing records, trainable or not; otherwise only while frozen.</param>
internal sealed class KeptConvWeights(Conv2d conv, bool inference) : IDisposable
{
    private readonly PreparedConvWeights _prepared = new();

    /// <summary>Whether the weights may be kept in calls outside a recording tape: inference, or every parameter frozen.</summary>
    public bool IsEligible => inference || (!conv.Weight.Trainable && conv.Bias?.Trainable != true);

    /// <summary>Whether this convolution is kept already (by another folding).</summary>
    public static bool IsInstalledOn(Conv2d conv) => conv.KeptWeights is not null;

    public void Install() => conv.KeptWeights = KeptWeights;

    /// <summary>Drops the kept forms, so the next call rebuilds them from the current weights.</summary>
    public void Invalidate() => _prepared.Clear();

    public void Dispose()
    {
        conv.KeptWeights = null;
        _prepared.Dispose();
    }

    private PreparedConvWeights? KeptWeights()
    {
        if (IsEligible && !FoldedConvBatchNorm.Records) return _prepared;
        // The weights may train now; rebuild the forms at the next kept call.
        Invalidate();
        return null;
    }
}
