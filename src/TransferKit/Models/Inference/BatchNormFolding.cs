using TransferKit.Models.Onnx;
using TransferKit.Nn;

namespace TransferKit.Models.Inference;

/// <summary>
/// Folds batch norm into the convolution before it for inference: y = BN(W * x) becomes y = (s W) * x + (s b + t)
/// with s = gamma / sqrt(running_var + eps) and t = beta - running_mean s, so a frozen part of a network runs one
/// convolution with bias per pair and no batch-norm pass.
/// </summary>
/// <remarks>
/// Folding never changes a parameter. It installs, on each pair, a folded copy of the conv weight and a bias, which the
/// pair uses only while all of these hold: the BN is in evaluation mode; the conv's and the BN's parameters are frozen;
/// and nothing is being recorded on this thread (no open <see cref="Autograd.Tape"/>, or inside
/// <see cref="Autograd.GradMode.NoGrad"/>). Otherwise the pair runs unfolded, exactly as without folding, so training
/// sees the unfolded batch norm. Run a frozen prefix inside <see cref="Autograd.GradMode.NoGrad"/> to get the folded path
/// while a tape is open. Disposing the returned handle removes the folding.
/// </remarks>
public static class BatchNormFolding
{
    /// <summary>Folds every pair of <see cref="ConvNet.ConvBatchNormPairs"/>.</summary>
    /// <param name="network">The network; its pairs must be exactly conv-then-BN on every path.</param>
    /// <returns>The folding; dispose it to restore the plain layers.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A layer is folded already, or appears in two pairs.</exception>
    /// <exception cref="ArgumentException">A pair's channel counts differ.</exception>
    public static FoldedBatchNorm Fold(ConvNet network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Fold(network.ConvBatchNormPairs(), inference: false, Graphs(network), LoneConvolutions(network));
    }

    /// <summary>
    /// Folds every pair of <see cref="ConvNet.ConvBatchNormPairs"/> for a network that predicts: a pair runs folded
    /// whenever its BN is in evaluation mode and nothing records, whether or not its parameters are frozen. A training
    /// step (a recording tape) still runs the pairs unfolded and marks them for refolding, as with <see cref="Fold(ConvNet)"/>;
    /// after changing weights directly, call <see cref="FoldedBatchNorm.Refresh"/>.
    /// </summary>
    /// <param name="network">The network; its pairs must be exactly conv-then-BN on every path.</param>
    /// <returns>The folding; dispose it to restore the plain layers.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A layer is folded already, or appears in two pairs.</exception>
    /// <exception cref="ArgumentException">A pair's channel counts differ.</exception>
    public static FoldedBatchNorm FoldForInference(ConvNet network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Fold(network.ConvBatchNormPairs(), inference: true, Graphs(network), LoneConvolutions(network));
    }

    /// <summary>Folds the given (conv, BN) pairs, for modules that are not a <see cref="ConvNet"/>.</summary>
    /// <param name="pairs">Pairs where the BN takes exactly the conv's output, and nothing else does.</param>
    /// <returns>The folding; dispose it to restore the plain layers.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pairs"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A layer is folded already, or appears in two pairs; nothing is folded then.</exception>
    /// <exception cref="ArgumentException">A pair's channel counts differ; nothing is folded then.</exception>
    public static FoldedBatchNorm Fold(IEnumerable<(Conv2d Conv, BatchNorm2d Norm)> pairs) => Fold(pairs, inference: false, [], null);

    /// <summary>
    /// Folds the network's pairs as <see cref="Fold(ConvNet)"/> does, or returns null when a folding is installed on it
    /// already (a loaded model's own, which covers the frozen pairs too).
    /// </summary>
    internal static FoldedBatchNorm? FoldUnlessFolded(ConvNet network) =>
        network.ConvBatchNormPairs().Any(p => p.Conv.FoldedParameters is not null || p.Norm.FoldedIntoConvolution is not null)
        || network.NamedModules().Select(kv => kv.Value).OfType<Conv2d>().Any(KeptConvWeights.IsInstalledOn)
        || Graphs(network).Any(g => g.FusionEnabled)
            ? null
            : Fold(network);

    // Imported graphs fold their Conv-BN chains themselves; a folding switches them on and off with the pairs.
    private static List<OnnxNetwork> Graphs(ConvNet network) =>
    [
        .. network.NamedModules().Select(kv => kv.Value switch { OnnxNetwork g => g, OnnxSegment s => s.Graph, _ => null })
            .OfType<OnnxNetwork>().Distinct(),
    ];

    // The convolutions that no batch norm follows: nothing to fold, but their kernels' forms of the weights are kept
    // under the same conditions (KeptConvWeights).
    private static Func<HashSet<Conv2d>, List<Conv2d>> LoneConvolutions(ConvNet network) => paired =>
        [.. network.NamedModules().Select(kv => kv.Value).OfType<Conv2d>().Distinct().Where(c => !paired.Contains(c))];

    private static FoldedBatchNorm Fold(IEnumerable<(Conv2d Conv, BatchNorm2d Norm)> pairs, bool inference, List<OnnxNetwork> graphs,
        Func<HashSet<Conv2d>, List<Conv2d>>? loneConvolutions)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var list = pairs.ToList();
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        foreach (var (conv, norm) in list)
        {
            ArgumentNullException.ThrowIfNull(conv);
            ArgumentNullException.ThrowIfNull(norm);
            if (conv.Weight.Value.Shape[0] != norm.Channels)
                throw new ArgumentException(
                    $"BatchNormFolding: a conv with {conv.Weight.Value.Shape[0]} output channels is paired with a BN of {norm.Channels} channels.", nameof(pairs));
            if (conv.FoldedParameters is not null || norm.FoldedIntoConvolution is not null)
                throw new InvalidOperationException("BatchNormFolding: a layer is folded already; dispose the earlier folding first.");
            if (!seen.Add(conv) || !seen.Add(norm))
                throw new InvalidOperationException("BatchNormFolding: a layer appears in two pairs.");
        }
        var lone = loneConvolutions?.Invoke([.. list.Select(p => p.Conv)]) ?? [];
        if (lone.Any(KeptConvWeights.IsInstalledOn))
            throw new InvalidOperationException("BatchNormFolding: a layer is folded already; dispose the earlier folding first.");
        var folded = list.Select(p => new FoldedConvBatchNorm(p.Conv, p.Norm, inference)).ToArray();
        if (graphs.Any(g => g.FusionEnabled))
            throw new InvalidOperationException("BatchNormFolding: an imported graph is folded already; dispose the earlier folding first.");
        var kept = lone.Select(conv => new KeptConvWeights(conv, inference)).ToArray();
        foreach (var pair in folded) pair.Install();
        foreach (var conv in kept) conv.Install();
        foreach (var graph in graphs) graph.FusionEnabled = true;
        return new FoldedBatchNorm(folded, graphs, kept);
    }
}
