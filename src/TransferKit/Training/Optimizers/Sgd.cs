using TransferKit.Kernels.Optimizers;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Training.Optimizers;

/// <summary>Stochastic gradient descent with momentum, dampening, Nesterov and L2 weight decay, as PyTorch's <c>SGD</c>.</summary>
public sealed class Sgd : Optimizer
{
    private readonly Dictionary<Parameter, Tensor> _momentum = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates the optimizer over every parameter of <paramref name="module"/>.</summary>
    public Sgd(Module module, float learningRate, float momentum = 0, float weightDecay = 0, bool nesterov = false, float dampening = 0)
        : this(SingleGroup(module), learningRate, momentum, weightDecay, nesterov, dampening) { }

    /// <summary>Creates the optimizer over parameter groups.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range.</exception>
    /// <exception cref="ArgumentException">Nesterov without momentum or with dampening (PyTorch's rule).</exception>
    public Sgd(IReadOnlyList<ParameterGroup> groups, float learningRate, float momentum = 0, float weightDecay = 0, bool nesterov = false, float dampening = 0)
        : base(groups, learningRate)
    {
        if (momentum < 0) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be non-negative.");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be non-negative.");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum requires momentum > 0 and dampening 0.", nameof(nesterov));
        Momentum = momentum;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        Dampening = dampening;
    }

    /// <summary>Momentum factor; one-cycle schedules change it between steps (it must stay non-negative).</summary>
    public float Momentum
    {
        get;
        set
        {
            if (!(value >= 0)) throw new ArgumentOutOfRangeException(nameof(Momentum), value, "Momentum must be non-negative.");
            field = value;
        }
    }

    /// <summary>L2 penalty.</summary>
    public float WeightDecay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <summary>Dampening of the momentum.</summary>
    public float Dampening { get; }

    /// <inheritdoc />
    protected override unsafe void Update(Parameter parameter, float lr)
    {
        var p = parameter.Value;
        bool first = false;
        float* buf = null;
        if (Momentum != 0)
        {
            if (!_momentum.TryGetValue(parameter, out var b))
            {
                b = Tensor.Zeros(p.Shape).Persist();
                _momentum[parameter] = b;
                first = true;
            }
            buf = b.Data;
        }
        OptimizerUpdateKernel.Sgd(p.Length, p.Data, parameter.Grad!.Data, buf, first, lr, Momentum, Dampening, WeightDecay, Nesterov);
    }

    /// <inheritdoc />
    protected override void ExportSlots(Parameter parameter, string name, OptimizerState into)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (_momentum.TryGetValue(parameter, out var b)) into.Buffers[OptimizerState.Key(name, "momentum_buffer")] = b.ToArray();
    }

    /// <inheritdoc />
    protected override void ImportSlots(Parameter parameter, string name, OptimizerState from)
    {
        if (FindBuffer(from, parameter, name, "momentum_buffer") is not { } buffer) return;
        var b = Tensor.Zeros(parameter.Value.Shape).Persist();
        buffer.CopyTo(b.Span);
        _momentum[parameter] = b;
    }

    /// <inheritdoc />
    protected override void ClearSlots()
    {
        foreach (var t in _momentum.Values) t.Dispose();
        _momentum.Clear();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) ClearSlots();
        base.Dispose(disposing);
    }
}
