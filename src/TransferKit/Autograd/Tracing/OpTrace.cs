using TransferKit.Tensors;

namespace TransferKit.Autograd;

/// <summary>
/// Records, on this thread, every primitive op that runs while it is open: its kind, inputs, output and settings, in
/// execution order. The ONNX exporter runs one evaluation forward pass inside a trace and writes one graph node (or a few)
/// per record, so any network built from <see cref="Ops"/> (catalog architectures, imported ONNX graphs, any head)
/// exports without a per-module table. While a trace is open, fused ops run as their composed primitives so that each
/// of them is recorded.
/// </summary>
internal sealed class OpTrace : IDisposable
{
    [ThreadStatic] private static OpTrace? t_current;

    private readonly List<TracedOp> _ops = new();
    private readonly OpTrace? _previous;
    private bool _disposed;

    private OpTrace(OpTrace? previous) => _previous = previous;

    /// <summary>The trace open on this thread, or null (the usual case: the ops then pay one thread-static read).</summary>
    public static OpTrace? Current => t_current;

    /// <summary>Opens a trace on this thread; dispose it to close it.</summary>
    public static OpTrace Begin() => t_current = new OpTrace(t_current);

    /// <summary>The recorded ops in execution order.</summary>
    public IReadOnlyList<TracedOp> Ops => _ops;

    /// <summary>Appends one op. <paramref name="settings"/> is the op's attribute value (see <see cref="TracedOpKind"/>).</summary>
    public void Record(TracedOpKind kind, Tensor output, object? settings, params Tensor?[] inputs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _ops.Add(new TracedOp(kind, output, inputs, settings));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (t_current == this) t_current = _previous;
    }
}
