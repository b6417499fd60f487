using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using TransferKit.Autograd;
using TransferKit.Kernels.Convolution;
using TransferKit.Kernels.Normalization;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models.Inference;

/// <summary>
/// The folding of one (conv, BN) pair: decides per call whether the pair runs folded, and keeps the folded weight
/// [Cout, Cin/groups, KH, KW] and bias [Cout], computed lazily and recomputed after any unfolded use.
/// </summary>
/// <param name="conv">The convolution.</param>
/// <param name="norm">The batch norm that takes exactly its output.</param>
/// <param name="inference">
/// Whether the pair folds whenever its BN is in evaluation mode and nothing records, trainable or not (a model that
/// predicts); otherwise it also needs every parameter of the pair frozen (a frozen part of a network that trains).
/// </param>
internal sealed unsafe class FoldedConvBatchNorm(Conv2d conv, BatchNorm2d norm, bool inference = false) : IDisposable
{
    private readonly Lock _gate = new();
    private Tensor? _weight;
    private Tensor? _bias;
    private bool _stale = true;
    // The folded weight's packed and transformed forms, kept until it is recomputed.
    private readonly PreparedConvWeights _prepared = new();

    /// <summary>BN in evaluation mode and (unless folded for inference) the pair's parameters frozen: the conditions that do not depend on the thread.</summary>
    public bool IsEligible =>
        !norm.IsTraining
        && (inference || (!conv.Weight.Trainable && conv.Bias?.Trainable != true && !norm.Weight.Trainable && !norm.Bias.Trainable));

    private bool IsActive => IsEligible && !Records;

    /// <summary>Whether this thread records for a backward pass now, when no folded or kept form may be used.</summary>
    internal static bool Records => Tape.Current is not null && GradMode.IsEnabled;

    public void Install()
    {
        conv.FoldedParameters = FoldedParameters;
        norm.FoldedIntoConvolution = IsFolded;
    }

    /// <summary>Marks the folded copy out of date, so the next folded call recomputes it.</summary>
    public void Invalidate()
    {
        lock (_gate) _stale = true;
    }

    public void Dispose()
    {
        conv.FoldedParameters = null;
        norm.FoldedIntoConvolution = null;
        lock (_gate)
        {
            _prepared.Dispose();
            _weight?.Dispose();
            _bias?.Dispose();
            _weight = _bias = null;
            _stale = true;
        }
    }

    private bool IsFolded() => IsActive;

    private (Tensor Weight, Tensor Bias, PreparedConvWeights Prepared)? FoldedParameters()
    {
        if (!IsActive)
        {
            // The pair may train or change statistics now; refold before the next folded use.
            Invalidate();
            return null;
        }
        lock (_gate)
        {
            if (_stale) Recompute();
            return (_weight!, _bias!, _prepared);
        }
    }

    private void Recompute()
    {
        _weight ??= Tensor.Empty(conv.Weight.Value.Shape).Persist();
        _bias ??= Tensor.Empty(norm.Channels).Persist();
        _prepared.Clear();
        FoldInto(conv.Weight.Value, conv.Bias?.Value, norm.Weight.Value, norm.Bias.Value, norm.RunningMean, norm.RunningVar, norm.Eps, _weight, _bias);
        _stale = false;
    }

    /// <summary>
    /// Writes the folded weight s W [Cout, ...] and bias s b + t [Cout] of a conv followed by an evaluation-mode batch norm,
    /// s = gamma / sqrt(var + eps) and t = beta - mean s; shared with the fused convolutions of imported ONNX graphs.
    /// </summary>
    internal static void FoldInto(Tensor convWeight, Tensor? convBias, Tensor gamma, Tensor beta, Tensor mean, Tensor variance, float eps,
        Tensor foldedWeight, Tensor foldedBias)
    {
        int channels = convWeight.Shape[0];
        using var scale = Tensor.Empty(channels);
        using var shift = Tensor.Empty(channels);
        BatchNormKernel.FoldToScaleShift(channels, gamma.Data, beta.Data, mean.Data, variance.Data, eps, scale.Data, shift.Data);
        int perChannel = convWeight.Length / channels;
        var from = convWeight.ReadOnlySpan;
        var to = foldedWeight.Span;
        var s = scale.ReadOnlySpan;
        var t = shift.ReadOnlySpan;
        var bias = foldedBias.Span;
        for (int c = 0; c < channels; c++)
        {
            TensorPrimitives.Multiply(from.Slice(c * perChannel, perChannel), s[c], to.Slice(c * perChannel, perChannel));
            float b = convBias is null ? 0f : convBias.ReadOnlySpan[c];
            bias[c] = b * s[c] + t[c];
        }
    }
}
