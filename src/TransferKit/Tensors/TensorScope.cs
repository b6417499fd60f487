namespace TransferKit.Tensors;

/// <summary>
/// Disposes every tensor created on this thread while the scope is open, except those
/// <see cref="Keep">kept</see> or <see cref="Tensor.Persist">persisted</see>. A training step runs inside one,
/// so its temporaries return to the pool and memory stays flat over thousands of steps.
/// Scopes nest; a kept tensor moves to the enclosing scope.
/// </summary>
/// <example>
/// <code>
/// using (var scope = TensorScope.Begin())
/// {
///     var loss = model.Forward(x) ... ;
///     result = scope.Keep(loss.Clone());
/// }
/// </code>
/// </example>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? t_current;

    private readonly List<Tensor> _tracked = new();
    private readonly TensorScope? _parent;
    private bool _disposed;

    private TensorScope(TensorScope? parent) => _parent = parent;

    /// <summary>The innermost open scope on this thread, or null.</summary>
    public static TensorScope? Current => t_current;

    /// <summary>Opens a scope on the current thread.</summary>
    public static TensorScope Begin() => t_current = new TensorScope(t_current);

    /// <summary>Number of tensors this scope will dispose.</summary>
    public int TrackedCount => _tracked.Count(t => t.Scope == this);

    /// <summary>Moves <paramref name="tensor"/> out of this scope into the enclosing one (or to the caller if none).</summary>
    public Tensor Keep(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.Scope = null;
        if (_parent is not null)
        {
            tensor.Scope = _parent;
            _parent._tracked.Add(tensor);
        }
        return tensor;
    }

    internal static void Track(Tensor tensor)
    {
        var scope = t_current;
        if (scope is null) return;
        tensor.Scope = scope;
        scope._tracked.Add(tensor);
    }

    internal static void Untrack(Tensor tensor) => tensor.Scope = null;

    /// <summary>Disposes the tracked tensors and closes the scope. Scopes must close innermost first.</summary>
    /// <exception cref="InvalidOperationException">An inner scope on this thread is still open.</exception>
    public void Dispose()
    {
        if (_disposed) return;
        if (t_current != this)
            throw new InvalidOperationException("TensorScope closed out of order: an inner scope is still open, or the scope is closed on another thread.");
        _disposed = true;
        t_current = _parent;
        foreach (var t in _tracked)
        {
            if (t.Scope == this) t.Dispose();
        }
        _tracked.Clear();
    }
}
