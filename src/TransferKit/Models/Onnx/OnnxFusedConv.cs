using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;
using TransferKit.Models.Inference;
using TransferKit.Tensors;

namespace TransferKit.Models.Onnx;

/// <summary>
/// A Conv node of an imported graph with the nodes that alone read its result in turn: a BatchNormalization, a residual Add,
/// an activation (Relu, or Clip to [0, 6]), each optional. In evaluation mode with nothing recording, the chain runs as one
/// convolution with the batch norm folded into its weights and the add and activation fused into its output tiles, as the
/// catalog networks' folded pairs do. Folded weights are computed lazily and recomputed after any use of the chain that may
/// change them.
/// </summary>
internal sealed class OnnxFusedConv
{
    private readonly Lock _gate = new();
    private readonly Func<Tensor, Shape, (Tensor Padded, Conv2dOptions Options)> _prepare;
    private readonly float _eps;
    private Tensor? _weight;
    private Tensor? _bias;
    private bool _stale = true;
    // The folded weight's packed and transformed forms, kept until it is refolded or released.
    private readonly PreparedConvWeights _prepared = new();

    public OnnxFusedConv(OnnxStep conv, OnnxStep? norm, OnnxStep? add, int residualSlot, OnnxStep? activation, ActivationKind kind, int[] laterSteps)
    {
        Conv = conv;
        Norm = norm;
        Add = add;
        ResidualSlot = residualSlot;
        Activation = activation;
        Kind = kind;
        LaterSteps = laterSteps;
        Intermediates = [.. new[] { conv, norm, add, activation }.OfType<OnnxStep>().Select(s => s.Output).Where(s => s != FinalSlot)];
        _prepare = OnnxOperators.ConvPreparation(new OnnxAttributes(conv.Node));
        _eps = norm is null ? 0f : new OnnxAttributes(norm.Node).Float("epsilon", 1e-5f);
    }

    public OnnxStep Conv { get; }

    public OnnxStep? Norm { get; }

    public OnnxStep? Add { get; }

    /// <summary>The Add's other input, computed before the conv runs; -1 without an Add.</summary>
    public int ResidualSlot { get; }

    public OnnxStep? Activation { get; }

    /// <summary>The fused activation (Identity without one).</summary>
    public ActivationKind Kind { get; }

    /// <summary>The steps the fused run stands for besides the conv (BN, Add, activation), in execution order; the forward pass skips them.</summary>
    public int[] LaterSteps { get; }

    /// <summary>The slot the fused run fills: the last node's output.</summary>
    public int FinalSlot => (Activation ?? Add ?? Norm ?? Conv).Output;

    /// <summary>The slots the fused run never computes (the conv's, and the BN's and the Add's when later nodes follow).</summary>
    public int[] Intermediates { get; }

    /// <summary>Marks the folded weights out of date: the chain ran where it may train or update its statistics.</summary>
    public void Invalidate()
    {
        lock (_gate) _stale = true;
    }

    /// <summary>
    /// Runs the chain on the values in <paramref name="slots"/>, or returns null when the residual is not computed yet or
    /// its shape is not the conv output's (a broadcasting Add), so the nodes run one by one.
    /// </summary>
    public Tensor? TryRun(object?[] slots, object?[] preset)
    {
        var input = (Tensor)slots[Conv.Inputs[0]]!;
        var weight = (Tensor)preset[Conv.Inputs[1]]!;
        Tensor? residual = null;
        if (ResidualSlot >= 0 && (residual = slots[ResidualSlot] as Tensor) is null) return null;
        var (padded, options) = _prepare(input, weight.Shape);
        try
        {
            if (residual is not null && !residual.Shape.Equals(OutputShape(padded.Shape, weight.Shape, options))) return null;
            if (Norm is null) return Ops.Conv2dActivation(padded, weight, ConvBias(preset), options, Kind, residual);
            var (w, b) = Folded(preset);
            using var kept = _prepared.Use(w);
            return Ops.Conv2dActivation(padded, w, b, options, Kind, residual);
        }
        finally
        {
            if (!ReferenceEquals(padded, input)) padded.Dispose();
        }
    }

    private static Shape OutputShape(Shape input, Shape weight, Conv2dOptions o) => new(
        input[0], weight[0],
        (input[2] + 2 * o.PadHeight - o.DilationHeight * (weight[2] - 1) - 1) / o.StrideHeight + 1,
        (input[3] + 2 * o.PadWidth - o.DilationWidth * (weight[3] - 1) - 1) / o.StrideWidth + 1);

    private Tensor? ConvBias(object?[] preset) => Conv.Inputs.Length > 2 && Conv.Inputs[2] >= 0 ? (Tensor)preset[Conv.Inputs[2]]! : null;

    private (Tensor Weight, Tensor? Bias) Folded(object?[] preset)
    {
        var norm = Norm!;
        lock (_gate)
        {
            if (_stale || _weight is null || _bias is null)
            {
                var weight = (Tensor)preset[Conv.Inputs[1]]!;
                _prepared.Clear();
                _weight ??= Tensor.Empty(weight.Shape).Persist();
                _bias ??= Tensor.Empty(weight.Shape[0]).Persist();
                FoldedConvBatchNorm.FoldInto(weight, ConvBias(preset), (Tensor)preset[norm.Inputs[1]]!, (Tensor)preset[norm.Inputs[2]]!,
                    (Tensor)preset[norm.Inputs[3]]!, (Tensor)preset[norm.Inputs[4]]!, _eps, _weight, _bias);
                _stale = false;
            }
            return (_weight, _bias);
        }
    }

    /// <summary>Frees the folded copies.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _prepared.Clear();
            _weight?.Dispose();
            _bias?.Dispose();
            _weight = _bias = null;
            _stale = true;
        }
    }
}
