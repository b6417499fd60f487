using TransferKit.Tensors;

namespace TransferKit.Autograd;

/// <summary>
/// Records the primitive ops of one forward pass on this thread, then runs them backward.
/// Ops record only while a tape is open, <see cref="GradMode.IsEnabled"/>, and some input requires a gradient;
/// a frozen prefix therefore keeps no activations. Leaf tensors (parameters) receive their gradient in
/// <see cref="Tensor.Grad"/>, accumulated across backward passes until zeroed.
/// </summary>
/// <example>
/// <code>
/// using var scope = TensorScope.Begin();
/// using var tape = Tape.Begin();
/// var loss = Ops.CrossEntropy(model.Forward(images), labels);
/// tape.Backward(loss);
/// optimizer.Step();
/// </code>
/// </example>
public sealed class Tape : IDisposable
{
    [ThreadStatic] private static Tape? t_current;

    private readonly List<TapeNode> _nodes = new();
    private readonly HashSet<Tensor> _produced = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Tensor, Tensor> _intermediateGrads = new(ReferenceEqualityComparer.Instance);
    private readonly Tape? _previous;
    private bool _disposed;

    private Tape(Tape? previous) => _previous = previous;

    /// <summary>The tape recording on this thread, or null.</summary>
    public static Tape? Current => t_current;

    /// <summary>Opens a tape on this thread; ops record onto it until it is disposed.</summary>
    public static Tape Begin() => t_current = new Tape(t_current);

    /// <summary>Number of recorded ops.</summary>
    public int Count => _nodes.Count;

    /// <summary>
    /// Back-propagates from <paramref name="output"/>. A one-element output is seeded with 1; otherwise
    /// <paramref name="gradOutput"/> must be given with the output's shape. Clears the tape afterwards.
    /// </summary>
    /// <exception cref="InvalidOperationException">The output was not produced on this tape.</exception>
    /// <exception cref="ShapeMismatchException">The seed gradient's shape differs from the output's.</exception>
    public void Backward(Tensor output, Tensor? gradOutput = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_produced.Contains(output))
            throw new InvalidOperationException($"Backward: the {output} was not produced by an op recorded on this tape (did the forward pass run inside Tape.Begin() with a trainable input?).");
        Tensor seed;
        if (gradOutput is null)
        {
            if (output.Length != 1)
                throw new ShapeMismatchException($"Backward: output {output.Shape} is not a scalar; pass gradOutput.");
            seed = Tensor.Full(output.Shape, 1f);
        }
        else
        {
            gradOutput.EnsureShape(output.Shape, "Backward seed gradient");
            seed = gradOutput.Clone();
        }
        _intermediateGrads[output] = seed;

        var sink = new GradientSink(this);
        using (GradMode.NoGrad())
        {
            for (int i = _nodes.Count - 1; i >= 0; i--)
            {
                var node = _nodes[i];
                if (!_intermediateGrads.Remove(node.Output, out var grad)) continue;
                sink.Bind(node);
                node.Backward(grad, sink);
                grad.Dispose();
            }
        }
        Clear();
    }

    /// <summary>Forgets the recorded ops and any pending intermediate gradients.</summary>
    public void Clear()
    {
        foreach (var g in _intermediateGrads.Values) g.Dispose();
        _intermediateGrads.Clear();
        _nodes.Clear();
        _produced.Clear();
    }

    /// <summary>Stops recording and restores the previously open tape, if any.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Clear();
        if (t_current == this) t_current = _previous;
    }

    /// <summary>
    /// Records the node built by <paramref name="nodeFactory"/> as the producer of <paramref name="output"/> when a tape is open, grad mode is on
    /// and some input requires a gradient; marks the output as requiring one. The factory runs only when recording,
    /// so inference pays nothing.
    /// </summary>
    internal static void Record(Tensor output, Func<TapeNode> nodeFactory, Tensor? a, Tensor? b = null, Tensor? c = null)
    {
        if (WillRecord(a, b, c)) t_current!.Add(output, nodeFactory());
    }

    /// <summary>
    /// Whether <see cref="Record(Tensor, Func{TapeNode}, Tensor?, Tensor?, Tensor?)"/> with these inputs would record: an
    /// op asks first when what it keeps for its backward pass (max pooling's winners) costs work of its own.
    /// </summary>
    internal static bool WillRecord(Tensor? a, Tensor? b = null, Tensor? c = null) =>
        t_current is not null && GradMode.IsEnabled
        && (a is { RequiresGrad: true } || b is { RequiresGrad: true } || c is { RequiresGrad: true });

    /// <summary>Like <see cref="Record(Tensor, Func{TapeNode}, Tensor?, Tensor?, Tensor?)"/> for ops with many inputs.</summary>
    internal static void Record(Tensor output, Func<TapeNode> nodeFactory, IReadOnlyList<Tensor> inputs)
    {
        var tape = t_current;
        if (tape is null || !GradMode.IsEnabled) return;
        bool any = false;
        foreach (var t in inputs) any |= t.RequiresGrad;
        if (!any) return;
        tape.Add(output, nodeFactory());
    }

    private void Add(Tensor output, TapeNode node)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        node.Output = output;
        output.RequiresGrad = true;
        _nodes.Add(node);
        _produced.Add(output);
    }

    /// <summary>
    /// The buffer that collects d(loss)/d(<paramref name="input"/>): the leaf's persistent <see cref="Tensor.Grad"/>
    /// for tensors no recorded op produced, else a temporary released once its producer has run backward. A temporary
    /// is zeroed when it is created, unless <paramref name="canOverwrite"/> says the caller writes every element of it:
    /// then it comes uninitialised and <paramref name="overwrite"/> is true, which spares the gradient's largest
    /// tensors a pass of zeros and their first kernel a read of them.
    /// </summary>
    internal Tensor GradientBufferFor(Tensor input, bool canOverwrite, out bool overwrite)
    {
        overwrite = false;
        if (!_produced.Contains(input))
        {
            if (input.Grad is null || input.Grad.IsDisposed) input.Grad = ZerosInParallel(input.Shape).Persist();
            return input.Grad;
        }
        if (!_intermediateGrads.TryGetValue(input, out var g))
        {
            overwrite = canOverwrite;
            g = canOverwrite ? Tensor.Empty(input.Shape) : ZerosInParallel(input.Shape);
            _intermediateGrads[input] = g;
        }
        return g;
    }

    /// <summary>A zeroed tensor, cleared on all threads.</summary>
    private static unsafe Tensor ZerosInParallel(Shape shape)
    {
        var t = Tensor.Empty(shape);
        Kernels.Elementwise.ElementwiseKernel.Clear(t.Data, t.Length);
        return t;
    }
}
