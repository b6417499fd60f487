using TransferKit.Tensors;

namespace TransferKit.Nn;

/// <summary>
/// A network or layer: named parameters, buffers and child modules with dotted names equal to torchvision's
/// <c>state_dict</c> keys (<c>layer1.0.conv1.weight</c>), a train/eval mode, and a forward pass built from
/// <see cref="Autograd.Ops"/>. Layers have no backward of their own. A module owns its parameters and buffers.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<KeyValuePair<string, Module>> _children = new();
    private readonly List<KeyValuePair<string, Parameter>> _parameters = new();
    private readonly List<KeyValuePair<string, Tensor>> _buffers = new();

    /// <summary>True in training mode (batch statistics in BN, dropout active); new modules start in training mode.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Runs the module on <paramref name="input"/>; returns a new tensor owned by the caller.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>The direct children in registration order.</summary>
    public IReadOnlyList<KeyValuePair<string, Module>> Children => _children;

    /// <summary>Registers a child module under <paramref name="name"/> and returns it.</summary>
    protected TModule AddModule<TModule>(string name, TModule module) where TModule : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        EnsureNewName(name);
        _children.Add(new(name, module));
        return module;
    }

    /// <summary>Puts <paramref name="module"/> in place of the child called <paramref name="name"/> and returns the old child (not disposed).</summary>
    /// <exception cref="ArgumentException">There is no child of that name.</exception>
    protected Module ReplaceModule(string name, Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        int i = _children.FindIndex(kv => kv.Key == name);
        if (i < 0) throw new ArgumentException($"No child module named '{name}'.", nameof(name));
        var old = _children[i].Value;
        _children[i] = new(name, module);
        return old;
    }

    /// <summary>Registers a learnable tensor under <paramref name="name"/>; the module takes ownership.</summary>
    protected Parameter AddParameter(string name, Tensor value)
    {
        EnsureNewName(name);
        var p = new Parameter(value);
        _parameters.Add(new(name, p));
        return p;
    }

    /// <summary>Registers non-learnable state (BN running statistics) under <paramref name="name"/>; the module takes ownership.</summary>
    protected Tensor AddBuffer(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        EnsureNewName(name);
        _buffers.Add(new(name, value.Persist()));
        return value;
    }

    /// <summary>Every parameter of this module and its descendants, with dotted names, in torchvision's order.</summary>
    public IEnumerable<KeyValuePair<string, Parameter>> NamedParameters(string prefix = "")
    {
        foreach (var (name, p) in _parameters) yield return new(prefix + name, p);
        foreach (var (name, child) in _children)
            foreach (var kv in child.NamedParameters(prefix + name + ".")) yield return kv;
    }

    /// <summary>Every buffer of this module and its descendants, with dotted names.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedBuffers(string prefix = "")
    {
        foreach (var (name, b) in _buffers) yield return new(prefix + name, b);
        foreach (var (name, child) in _children)
            foreach (var kv in child.NamedBuffers(prefix + name + ".")) yield return kv;
    }

    /// <summary>This module and its descendants with dotted names ("" for this one).</summary>
    public IEnumerable<KeyValuePair<string, Module>> NamedModules(string prefix = "")
    {
        yield return new(prefix.TrimEnd('.'), this);
        foreach (var (name, child) in _children)
            foreach (var kv in child.NamedModules(prefix + name + ".")) yield return kv;
    }

    /// <summary>Parameters and buffers by key, as PyTorch's <c>state_dict()</c> (the tensors are the module's own, not copies).</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var d = new Dictionary<string, Tensor>();
        foreach (var (k, p) in NamedParameters()) d[k] = p.Value;
        foreach (var (k, b) in NamedBuffers()) d[k] = b;
        return d;
    }

    /// <summary>
    /// Copies values from <paramref name="state"/> into this module's parameters and buffers.
    /// In strict mode every key must match both ways; shapes must always match.
    /// </summary>
    /// <exception cref="StateDictMismatchException">Lists every missing, unexpected or mis-shaped key; nothing is copied then.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = StateDict();
        var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
        var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
        var shapes = own.Where(kv => state.TryGetValue(kv.Key, out var t) && t.Shape != kv.Value.Shape)
            .Select(kv => $"{kv.Key}: expected {kv.Value.Shape}, got {state[kv.Key].Shape}").ToList();
        if (shapes.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
            throw new StateDictMismatchException(missing, strict ? unexpected : [], shapes);
        foreach (var (k, t) in own)
            if (state.TryGetValue(k, out var source)) t.CopyFrom(source);
    }

    /// <summary>Number of parameter elements (BN running statistics are buffers and not counted).</summary>
    public long ParameterCount(bool trainableOnly = false) =>
        NamedParameters().Where(kv => !trainableOnly || kv.Value.Trainable).Sum(kv => (long)kv.Value.Value.Length);

    /// <summary>Sets training mode on this module and its descendants.</summary>
    public void Train(bool training = true)
    {
        IsTraining = training;
        foreach (var (_, child) in _children) child.Train(training);
    }

    /// <summary>Sets evaluation mode (running BN statistics, no dropout) on this module and its descendants.</summary>
    public void Eval() => Train(false);

    /// <summary>Marks every parameter of this module and its descendants trainable or frozen.</summary>
    public void SetTrainable(bool trainable)
    {
        foreach (var (_, p) in NamedParameters()) p.Trainable = trainable;
    }

    /// <summary>Zeroes the accumulated gradients of every parameter.</summary>
    public void ZeroGrad()
    {
        foreach (var (_, p) in NamedParameters()) p.ZeroGrad();
    }

    /// <summary>True while ops are being recorded for backward on this thread (a tape is open and grad mode is on).</summary>
    protected static bool IsRecording => Autograd.Tape.Current is not null && Autograd.GradMode.IsEnabled;

    /// <summary>
    /// Disposes an intermediate activation at once when nothing is recording (inference keeps memory low);
    /// while recording, backward may still read it, and the step's <see cref="TensorScope"/> frees it later.
    /// </summary>
    protected static void ReleaseIntermediate(Tensor intermediate)
    {
        ArgumentNullException.ThrowIfNull(intermediate);
        if (!IsRecording) intermediate.Dispose();
    }

    /// <summary>Releases the parameters, buffers and gradients of this module and its descendants.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases owned tensors; override to release more, calling the base.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing) return;
        foreach (var (_, p) in _parameters) p.Value.Dispose();
        foreach (var (_, b) in _buffers) b.Dispose();
        foreach (var (_, c) in _children) c.Dispose();
    }

    private void EnsureNewName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('.')) throw new ArgumentException($"Module member name '{name}' must not contain '.'.", nameof(name));
        if (_children.Any(kv => kv.Key == name) || _parameters.Any(kv => kv.Key == name) || _buffers.Any(kv => kv.Key == name))
            throw new ArgumentException($"Module member '{name}' is already registered.", nameof(name));
    }
}
