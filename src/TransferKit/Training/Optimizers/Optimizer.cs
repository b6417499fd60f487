using TransferKit.Nn;

namespace TransferKit.Training.Optimizers;

/// <summary>
/// Updates parameters from their gradients. Frozen parameters (<see cref="Parameter.Trainable"/> false) and
/// parameters without a gradient are never touched, not even by weight decay.
/// </summary>
public abstract class Optimizer : IDisposable
{
    /// <summary>Creates the optimizer over <paramref name="groups"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The learning rate is not positive and finite.</exception>
    protected Optimizer(IReadOnlyList<ParameterGroup> groups, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(groups);
        Groups = groups;
        LearningRate = learningRate;
    }

    /// <summary>The parameter groups.</summary>
    public IReadOnlyList<ParameterGroup> Groups { get; }

    /// <summary>Base learning rate (0 allowed, as in PyTorch); schedules change it between steps. Each group uses it times its multiplier.</summary>
    public float LearningRate
    {
        get;
        set
        {
            if (!(value >= 0) || float.IsInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "The learning rate must be non-negative and finite.");
            field = value;
        }
    }

    /// <summary>Number of <see cref="Step"/> calls so far.</summary>
    public long StepCount { get; private set; }

    /// <summary>Applies one update to every trainable parameter that has a gradient.</summary>
    public void Step()
    {
        StepCount++;
        foreach (var group in Groups)
        {
            float lr = LearningRate * group.LearningRateMultiplier;
            foreach (var p in group.Parameters)
            {
                if (!p.Trainable || p.Grad is null) continue;
                Update(p, lr);
            }
        }
    }

    /// <summary>Zeroes every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var group in Groups)
            foreach (var p in group.Parameters) p.ZeroGrad();
    }

    /// <summary>
    /// Copies the state (step count and every per-parameter buffer and counter) keyed by the names in
    /// <paramref name="namedParameters"/> (e.g. <c>module.NamedParameters()</c>); parameters not named are left out.
    /// </summary>
    public OptimizerState ExportState(IEnumerable<KeyValuePair<string, Parameter>> namedParameters)
    {
        ArgumentNullException.ThrowIfNull(namedParameters);
        var state = new OptimizerState { StepCount = StepCount };
        foreach (var (name, p) in namedParameters) ExportSlots(p, name, state);
        return state;
    }

    /// <summary>
    /// Replaces the state with <paramref name="state"/> (as <see cref="ExportState"/> wrote it), matching parameters by
    /// name; a parameter with no entry starts fresh, as before its first step.
    /// </summary>
    /// <exception cref="ArgumentException">A buffer's length differs from its parameter's.</exception>
    public void ImportState(IEnumerable<KeyValuePair<string, Parameter>> namedParameters, OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(namedParameters);
        ArgumentNullException.ThrowIfNull(state);
        ClearSlots();
        StepCount = state.StepCount;
        foreach (var (name, p) in namedParameters) ImportSlots(p, name, state);
    }

    /// <summary>Adds <paramref name="parameter"/>'s buffers and counters to <paramref name="into"/> under <paramref name="name"/>.</summary>
    protected virtual void ExportSlots(Parameter parameter, string name, OptimizerState into) { }

    /// <summary>Restores <paramref name="parameter"/>'s buffers and counters from <paramref name="from"/>, when present.</summary>
    protected virtual void ImportSlots(Parameter parameter, string name, OptimizerState from) { }

    /// <summary>Drops every per-parameter buffer and counter.</summary>
    protected virtual void ClearSlots() { }

    /// <summary>The buffer <paramref name="slot"/> of <paramref name="name"/>, checked against the parameter's length, or null.</summary>
    /// <exception cref="ArgumentException">The buffer has the wrong length.</exception>
    protected static float[]? FindBuffer(OptimizerState from, Parameter parameter, string name, string slot)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(parameter);
        if (!from.Buffers.TryGetValue(OptimizerState.Key(name, slot), out var buffer)) return null;
        if (buffer.Length != parameter.Value.Length)
            throw new ArgumentException($"Optimizer state '{OptimizerState.Key(name, slot)}' has {buffer.Length} values; the parameter {parameter.Value.Shape} has {parameter.Value.Length}.", nameof(from));
        return buffer;
    }

    /// <summary>Updates one parameter with learning rate <paramref name="lr"/>; its gradient is present.</summary>
    protected abstract void Update(Parameter parameter, float lr);

    /// <summary>Releases the optimizer's state tensors (momentum, moments).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases state; override to release more, calling the base.</summary>
    protected virtual void Dispose(bool disposing) { }

    /// <summary>One group holding every parameter of <paramref name="module"/>.</summary>
    protected static IReadOnlyList<ParameterGroup> SingleGroup(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return [new ParameterGroup(module.NamedParameters().Select(kv => kv.Value).ToList())];
    }
}
