using TransferKit.Kernels.Gemm;
using TransferKit.Tensors;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// The forms the forward kernels make of one convolution's weights (GEMM panels, the direct kernel's arrangement,
/// Winograd's transformed weights), kept from call to call for weights that do not change between calls: the folded
/// weights of an inference or frozen (conv, BN) pair. Without it every call rebuilds them, which at batch 1 costs as
/// much as the products themselves on 14x14 and 7x7 planes.
/// </summary>
/// <remarks>
/// The owner binds it to its weights for one call with <see cref="Use(float*)"/>; the kernels find it with <see cref="For"/>,
/// which answers only for the very weights it was bound to, and add what they prepare. The owner calls
/// <see cref="Clear"/> whenever the weights change; forms dropped while a bound call runs on another thread are freed
/// when the last such call ends, so a refold never pulls memory from under a running kernel. Memory: about one more
/// copy of the weights per precision used.
/// </remarks>
internal sealed unsafe class PreparedConvWeights : IDisposable
{
    [ThreadStatic] private static PreparedConvWeights? t_current;

    private readonly Lock _gate = new();
    private readonly List<PackedLeftOperand> _packed = [];
    private readonly Dictionary<string, ScratchBuffer> _buffers = [];
    // Forms dropped while calls that may hold them still run; freed when the last of those calls ends.
    private readonly List<PackedLeftOperand> _retiredPacked = [];
    private readonly List<ScratchBuffer> _retiredBuffers = [];
    private int _calls;
    private float* _source;
    private bool _disposed;

    /// <summary>
    /// Makes this the prepared weights of <paramref name="weight"/> on this thread until the scope ends (restoring the
    /// one before); if they were prepared for other weights before, those forms are dropped first.
    /// </summary>
    public Scope Use(float* weight)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_source != weight)
            {
                ClearLocked();
                _source = weight;
            }
            _calls++;
        }
        var previous = t_current;
        t_current = this;
        return new Scope(this, previous);
    }

    /// <summary>As <see cref="Use(float*)"/> for the data of <paramref name="weight"/>.</summary>
    public Scope Use(Tensor weight) => Use(weight.Data);

    /// <summary>The prepared weights bound on this thread to exactly <paramref name="weight"/>, or null.</summary>
    public static PreparedConvWeights? For(float* weight) =>
        t_current is { } current && current._source == weight && weight != null ? current : null;

    /// <summary>
    /// Panels of op(A) for products of width <paramref name="n"/> on the kernel they would run on now, packed on first
    /// use (as <see cref="GemmEngine.TryPackLeft"/>) and kept; null where the products would not read packed panels.
    /// The caller's <c>using</c> leaves them alone: they are freed by <see cref="Clear"/>.
    /// </summary>
    public PackedLeftOperand? PackedLeft(bool transposeA, int m, int n, int k, float* a, int lda)
    {
        var kernel = GemmEngine.LeftPackingKernel(m, n, k);
        if (kernel is null) return null;
        lock (_gate)
        {
            if (_disposed) return null;
            foreach (var entry in _packed)
                if (entry.Fits(kernel, transposeA, m, k, 1f, a)) return entry;
            var packed = GemmEngine.TryPackLeft(transposeA, m, n, k, a, lda);
            if (packed is null) return null;
            packed.IsShared = true;
            _packed.Add(packed);
            return packed;
        }
    }

    /// <summary>
    /// The buffer of <paramref name="length"/> floats kept under <paramref name="name"/>, filled by
    /// <paramref name="prepare"/> on first use. The name must say everything the contents depend on besides the weights.
    /// </summary>
    public float* Buffer(string name, int length, PrepareBuffer prepare)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_buffers.Remove(name, out var kept))
            {
                if (kept.Length == length)
                {
                    _buffers[name] = kept;
                    return kept.Pointer;
                }
                // Another call may still read it: it goes with the other dropped forms.
                _retiredBuffers.Add(kept);
            }
            var buffer = Prepared(length, prepare);
            _buffers[name] = buffer;
            return buffer.Pointer;
        }
    }

    /// <summary>
    /// The form <paramref name="name"/> of <paramref name="weight"/>: the kept one (<see cref="Buffer"/>) where the weights
    /// have a store on this thread, otherwise one prepared now into scratch memory that the returned form frees.
    /// </summary>
    public static Form Prepare(float* weight, string name, int length, PrepareBuffer prepare) =>
        For(weight) is { } kept ? new Form(kept.Buffer(name, length, prepare), default) : new Form(Prepared(length, prepare));

    private static ScratchBuffer Prepared(int length, PrepareBuffer prepare)
    {
        var buffer = new ScratchBuffer(length);
        try
        {
            prepare(buffer.Pointer);
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>How many forms are kept: packed operands and buffers.</summary>
    public int FormCount
    {
        get
        {
            lock (_gate) return _packed.Count + _buffers.Count;
        }
    }

    /// <summary>Drops every prepared form (the weights changed).</summary>
    public void Clear()
    {
        lock (_gate) ClearLocked();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            ClearLocked();
            _disposed = true;
        }
    }

    private void ClearLocked()
    {
        _retiredPacked.AddRange(_packed);
        _retiredBuffers.AddRange(_buffers.Values);
        _packed.Clear();
        _buffers.Clear();
        _source = null;
        if (_calls == 0) FreeRetiredLocked();
    }

    private void FreeRetiredLocked()
    {
        foreach (var packed in _retiredPacked)
        {
            packed.IsShared = false;
            packed.Dispose();
        }
        _retiredPacked.Clear();
        foreach (var buffer in _retiredBuffers) buffer.Dispose();
        _retiredBuffers.Clear();
    }

    /// <summary>A call bound with <see cref="Use(float*)"/> ended: what was dropped during it can go now.</summary>
    private void EndCall()
    {
        lock (_gate)
        {
            if (--_calls == 0) FreeRetiredLocked();
        }
    }

    /// <summary>Fills a buffer of prepared weights.</summary>
    public delegate void PrepareBuffer(float* destination);

    /// <summary>A prepared form for one call: kept by a store, or scratch memory of this call's own, freed on dispose.</summary>
    public readonly struct Form : IDisposable
    {
        private readonly ScratchBuffer _own;

        public Form(float* kept, ScratchBuffer own)
        {
            Pointer = kept;
            _own = own;
        }

        public Form(ScratchBuffer own)
            : this(own.Pointer, own)
        {
        }

        public float* Pointer { get; }

        public void Dispose() => _own.Dispose();
    }

    /// <summary>Ends the call <see cref="Use(float*)"/> began and restores the prepared weights that were current before it.</summary>
    public readonly struct Scope(PreparedConvWeights owner, PreparedConvWeights? previous) : IDisposable
    {
        /// <summary>Restores the binding before this one; the default scope binds nothing and restores nothing.</summary>
        public void Dispose()
        {
            if (owner is null) return;
            t_current = previous;
            owner.EndCall();
        }
    }
}
