using TransferKit.Models.Onnx;

namespace TransferKit.Models.Inference;

/// <summary>
/// Batch norm folded into the preceding convolutions of a network (see <see cref="BatchNormFolding"/>), the kernels'
/// forms of the other convolutions' weights kept across calls under the same conditions, and the fused convolutions of
/// the imported ONNX graphs in it switched on.
/// Disposing it restores the plain layers and frees the folded copies.
/// </summary>
public sealed class FoldedBatchNorm : IDisposable
{
    private readonly FoldedConvBatchNorm[] _pairs;
    private readonly List<OnnxNetwork> _graphs;
    private readonly KeptConvWeights[] _lone;
    private bool _disposed;

    internal FoldedBatchNorm(FoldedConvBatchNorm[] pairs, List<OnnxNetwork> graphs, KeptConvWeights[] lone)
    {
        _pairs = pairs;
        _graphs = graphs;
        _lone = lone;
    }

    /// <summary>Number of (conv, BN) pairs folded.</summary>
    public int PairCount => _pairs.Length;

    /// <summary>Pairs that run folded now, outside a recording tape: BN in evaluation mode and every parameter of the pair frozen.</summary>
    public int ActivePairCount => _disposed ? 0 : _pairs.Count(p => p.IsEligible);

    /// <summary>
    /// Recomputes the folded weights (and the other convolutions' kept forms) from the current parameters and statistics
    /// at the next use. Call it after changing
    /// the weights of frozen evaluation-mode layers directly (<see cref="Nn.Module.LoadStateDict"/>, <see cref="Tensors.Tensor.CopyFrom"/>);
    /// a training step needs no call, because a pair that runs unfolded is refolded before its next folded use.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The folding was disposed.</exception>
    public void Refresh()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var pair in _pairs) pair.Invalidate();
        foreach (var conv in _lone) conv.Invalidate();
        foreach (var graph in _graphs) graph.RefreshFusedWeights();
    }

    /// <summary>Removes the folding from every pair and frees the folded weights.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var pair in _pairs) pair.Dispose();
        foreach (var conv in _lone) conv.Dispose();
        foreach (var graph in _graphs) graph.FusionEnabled = false;
    }
}
