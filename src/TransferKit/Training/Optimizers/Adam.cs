using TransferKit.Kernels.Optimizers;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Training.Optimizers;

/// <summary>
/// Adam with L2 weight decay (PyTorch's <c>Adam</c>), or with decoupled weight decay when
/// <see cref="DecoupledWeightDecay"/> is set (PyTorch's <c>AdamW</c>; see <see cref="AdamW"/>).
/// </summary>
public class Adam : Optimizer
{
    private readonly Dictionary<Parameter, State> _state = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates Adam over every parameter of <paramref name="module"/>.</summary>
    public Adam(Module module, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0)
        : this(SingleGroup(module), learningRate, beta1, beta2, eps, weightDecay, decoupled: false) { }

    /// <summary>Creates Adam over parameter groups.</summary>
    public Adam(IReadOnlyList<ParameterGroup> groups, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0)
        : this(groups, learningRate, beta1, beta2, eps, weightDecay, decoupled: false) { }

    /// <summary>Creates the optimizer; <paramref name="decoupled"/> selects AdamW's weight decay.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range.</exception>
    protected Adam(IReadOnlyList<ParameterGroup> groups, float learningRate, float beta1, float beta2, float eps, float weightDecay, bool decoupled)
        : base(groups, learningRate)
    {
        if (beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        if (beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be non-negative.");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be non-negative.");
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        DecoupledWeightDecay = decoupled;
    }

    /// <summary>First-moment decay; one-cycle schedules change it between steps as PyTorch does.</summary>
    public float Beta1
    {
        get;
        set
        {
            if (value is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(Beta1), value, "beta1 must be in [0, 1).");
            field = value;
        }
    }

    /// <summary>Second-moment decay.</summary>
    public float Beta2 { get; }

    /// <summary>Denominator term.</summary>
    public float Eps { get; }

    /// <summary>Weight decay (L2 for Adam, decoupled for AdamW).</summary>
    public float WeightDecay { get; }

    /// <summary>Whether weight decay is decoupled from the gradient (AdamW).</summary>
    public bool DecoupledWeightDecay { get; }

    /// <inheritdoc />
    protected override unsafe void Update(Parameter parameter, float lr)
    {
        var p = parameter.Value;
        if (!_state.TryGetValue(parameter, out var s))
        {
            s = new State(Tensor.Zeros(p.Shape).Persist(), Tensor.Zeros(p.Shape).Persist());
            _state[parameter] = s;
        }
        s.Step++;
        OptimizerUpdateKernel.Adam(p.Length, p.Data, parameter.Grad!.Data, s.ExpAvg.Data, s.ExpAvgSq.Data, s.Step,
            lr, Beta1, Beta2, Eps, WeightDecay, DecoupledWeightDecay);
    }

    /// <inheritdoc />
    protected override void ExportSlots(Parameter parameter, string name, OptimizerState into)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (!_state.TryGetValue(parameter, out var s)) return;
        into.Buffers[OptimizerState.Key(name, "exp_avg")] = s.ExpAvg.ToArray();
        into.Buffers[OptimizerState.Key(name, "exp_avg_sq")] = s.ExpAvgSq.ToArray();
        into.Counters[OptimizerState.Key(name, "step")] = s.Step;
    }

    /// <inheritdoc />
    protected override void ImportSlots(Parameter parameter, string name, OptimizerState from)
    {
        ArgumentNullException.ThrowIfNull(from);
        var avg = FindBuffer(from, parameter, name, "exp_avg");
        var avgSq = FindBuffer(from, parameter, name, "exp_avg_sq");
        if (avg is null || avgSq is null || !from.Counters.TryGetValue(OptimizerState.Key(name, "step"), out long step)) return;
        var s = new State(Tensor.Zeros(parameter.Value.Shape).Persist(), Tensor.Zeros(parameter.Value.Shape).Persist()) { Step = step };
        avg.CopyTo(s.ExpAvg.Span);
        avgSq.CopyTo(s.ExpAvgSq.Span);
        _state[parameter] = s;
    }

    /// <inheritdoc />
    protected override void ClearSlots()
    {
        foreach (var s in _state.Values)
        {
            s.ExpAvg.Dispose();
            s.ExpAvgSq.Dispose();
        }
        _state.Clear();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) ClearSlots();
        base.Dispose(disposing);
    }

    private sealed class State(Tensor expAvg, Tensor expAvgSq)
    {
        public Tensor ExpAvg { get; } = expAvg;
        public Tensor ExpAvgSq { get; } = expAvgSq;
        public long Step { get; set; }
    }
}

/// <summary>Adam with decoupled weight decay, as PyTorch's <c>AdamW</c> (default weight decay 0.01).</summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates AdamW over every parameter of <paramref name="module"/>.</summary>
    public AdamW(Module module, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0.01f)
        : base(SingleGroup(module), learningRate, beta1, beta2, eps, weightDecay, decoupled: true) { }

    /// <summary>Creates AdamW over parameter groups.</summary>
    public AdamW(IReadOnlyList<ParameterGroup> groups, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0.01f)
        : base(groups, learningRate, beta1, beta2, eps, weightDecay, decoupled: true) { }
}
