using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.InteropServices;
using System.Text;
using TransferKit.Kernels;
using TransferKit.Tensors;

namespace TransferKit.Training.Caching;

/// <summary>
/// Per-sample activations of a frozen network prefix, computed once and read back every later epoch, so that training
/// runs only the trainable suffix. Lives in native memory or in a memory-mapped file (<c>&lt;fingerprint&gt;.tkcache</c>,
/// written as <c>.partial</c> and renamed when committed, so an interrupted run never leaves a file that looks reusable),
/// in float32, float16 or bfloat16. Writes to distinct samples may run on several threads. A committed file records which samples
/// it holds, so a dataset with a few unreadable images (which leave holes) is reused like any other.
/// </summary>
public sealed unsafe class ActivationCache : IDisposable
{
    private const int HeaderBytes = 4096;
    private const int MaxRank = 8;
    private const int FingerprintOffset = 64;
    private static ReadOnlySpan<byte> Magic => "TKACTV02"u8;

    private readonly bool[] _filled;
    private readonly int _elementBytes;
    private readonly MemoryMappedFile? _file;
    private readonly MemoryMappedViewAccessor? _view;
    private byte* _base;
    private byte* _data;
    private string? _partialPath;
    private int _filledCount;

    private ActivationCache(int count, Shape sampleShape, string fingerprint, CachePrecision precision)
    {
        Count = count;
        SampleShape = sampleShape;
        Fingerprint = fingerprint;
        Precision = precision;
        _elementBytes = BytesPerElement(precision);
        _filled = new bool[count];
    }

    private ActivationCache(int count, Shape sampleShape, string fingerprint, CachePrecision precision, MemoryMappedFile file, string path, bool complete)
        : this(count, sampleShape, fingerprint, precision)
    {
        _file = file;
        _view = file.CreateViewAccessor();
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref _base);
        _base += _view.PointerOffset;
        _data = _base + HeaderBytes;
        FilePath = path;
        if (complete)
        {
            // A committed file: its bitmap after the data says which samples were written.
            var bitmap = new ReadOnlySpan<byte>(_data + DataBytes, BitmapBytes(count));
            for (int i = 0; i < count; i++)
            {
                _filled[i] = (bitmap[i >> 3] & (1 << (i & 7))) != 0;
                if (_filled[i]) _filledCount++;
            }
            IsComplete = _filledCount == count;
            WasReused = true;
        }
    }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Shape of one sample's activation, e.g. [2048, 7, 7].</summary>
    public Shape SampleShape { get; }

    /// <summary>The fingerprint of what was cached.</summary>
    public string Fingerprint { get; }

    /// <summary>Element type.</summary>
    public CachePrecision Precision { get; }

    /// <summary>The cache file, or null for an in-memory cache.</summary>
    public string? FilePath { get; }

    /// <summary>Whether every sample has been written (or the cache was reused complete).</summary>
    public bool IsComplete { get; private set; }

    /// <summary>Whether a committed cache file from an earlier run was reused (it may have holes: see <see cref="Unfilled"/>).</summary>
    public bool WasReused { get; }

    /// <summary>The samples not written (yet), in index order: after a committed fill pass, the unreadable images.</summary>
    public IReadOnlyList<int> Unfilled() => [.. Enumerable.Range(0, Count).Where(i => !IsFilled(i))];

    /// <summary>Bytes of cached data.</summary>
    public long DataBytes => (long)Count * SampleShape.ElementCount * _elementBytes;

    /// <summary>Bytes a cache of <paramref name="count"/> samples of <paramref name="elementsPerSample"/> elements needs.</summary>
    public static long EstimateBytes(int count, int elementsPerSample, CachePrecision precision) =>
        (long)count * elementsPerSample * BytesPerElement(precision);

    private static int BytesPerElement(CachePrecision precision) => precision == CachePrecision.Float32 ? 4 : 2;

    /// <summary>
    /// Opens a reusable cache file or creates a cache where the options allow; returns null (with the reason) when the
    /// cache would exceed its limits, in which case the caller recomputes the prefix every epoch.
    /// </summary>
    /// <exception cref="ArgumentException">The fingerprint is not 64 hex digits, or the shape has more than 8 dimensions.</exception>
    public static ActivationCache? TryCreate(int count, Shape sampleShape, string fingerprint, ActivationCacheOptions options, out string decision)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        options.Validate();
        if (fingerprint is null || fingerprint.Length != 64 || !fingerprint.All(char.IsAsciiHexDigit))
            throw new ArgumentException("The fingerprint must be 64 hexadecimal digits (a SHA-256).", nameof(fingerprint));
        if (sampleShape.Rank > MaxRank) throw new ArgumentException($"Sample shape {sampleShape} has more than {MaxRank} dimensions.", nameof(sampleShape));
        long bytes = EstimateBytes(count, sampleShape.ElementCount, options.Precision);
        bool inMemory = !options.StoresInFile(bytes);
        if (inMemory)
        {
            if (bytes > options.MaxMemoryBytes)
            {
                decision = $"no cache: {Gib(bytes)} exceeds MaxMemoryBytes ({Gib(options.MaxMemoryBytes)}); the frozen prefix is recomputed every epoch";
                return null;
            }
            var cache = new ActivationCache(count, sampleShape, fingerprint, options.Precision);
            cache._base = (byte*)NativeMemory.AlignedAlloc((nuint)Math.Max(bytes, 1), 64);
            cache._data = cache._base;
            decision = $"in-memory cache, {Gib(bytes)} ({options.Precision})";
            return cache;
        }
        if (bytes > options.MaxFileBytes)
        {
            decision = $"no cache: {Gib(bytes)} exceeds MaxFileBytes ({Gib(options.MaxFileBytes)}); the frozen prefix is recomputed every epoch";
            return null;
        }
        string directory = options.ResolveDirectory();
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, fingerprint + ".tkcache");
        if (options.Reuse && TryOpenComplete(path, count, sampleShape, fingerprint, options.Precision) is { } reused)
        {
            decision = $"reused cache file {path}";
            return reused;
        }
        string partial = path + ".partial";
        File.Delete(partial);
        var file = MemoryMappedFile.CreateFromFile(partial, FileMode.CreateNew, null, FileBytes(count, bytes), MemoryMappedFileAccess.ReadWrite);
        var created = new ActivationCache(count, sampleShape, fingerprint, options.Precision, file, path, complete: false) { _partialPath = partial };
        created.WriteHeader(complete: false);
        decision = $"cache file {path}, {Gib(bytes)} ({options.Precision})";
        return created;
    }

    /// <summary>Whether sample <paramref name="index"/> has been written.</summary>
    public bool IsFilled(int index) => Volatile.Read(ref _filled[index]);

    /// <summary>Stores sample <paramref name="index"/>'s activation (<see cref="SampleShape"/> elements).</summary>
    /// <exception cref="ArgumentException">The length differs from the sample shape's element count.</exception>
    /// <exception cref="CachePrecisionException">A value is too large for <see cref="CachePrecision.Float16"/>.</exception>
    public void Write(int index, ReadOnlySpan<float> values)
    {
        int n = SampleShape.ElementCount;
        if (values.Length != n) throw new ArgumentException($"Activation of {values.Length} values does not fit sample shape {SampleShape}.", nameof(values));
        ObjectDisposedException.ThrowIf(_base == null, this);
        byte* slot = Slot(index);
        switch (Precision)
        {
            case CachePrecision.Float16:
                float magnitude = n == 0 ? 0 : TensorPrimitives.MaxMagnitude(values);
                if (Math.Abs(magnitude) > (float)Half.MaxValue) throw new CachePrecisionException(index, Math.Abs(magnitude));
                TensorPrimitives.ConvertToHalf(values, new Span<Half>(slot, n));
                break;
            case CachePrecision.BFloat16:
                BFloat16Conversion.FromSingle(values, new Span<ushort>(slot, n));
                break;
            default:
                values.CopyTo(new Span<float>(slot, n));
                break;
        }
        if (!Interlocked.Exchange(ref _filled[index], true) && Interlocked.Increment(ref _filledCount) == Count) IsComplete = true;
    }

    /// <summary>Reads sample <paramref name="index"/>'s activation into <paramref name="destination"/>.</summary>
    /// <exception cref="InvalidOperationException">The sample was never written.</exception>
    public void Read(int index, Span<float> destination)
    {
        int n = SampleShape.ElementCount;
        if (destination.Length != n) throw new ArgumentException($"Destination of {destination.Length} values does not fit sample shape {SampleShape}.", nameof(destination));
        ObjectDisposedException.ThrowIf(_base == null, this);
        if (!IsFilled(index)) throw new InvalidOperationException($"Activation cache: sample {index} has not been computed yet.");
        byte* slot = Slot(index);
        switch (Precision)
        {
            case CachePrecision.Float16:
                TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(slot, n), destination);
                break;
            case CachePrecision.BFloat16:
                BFloat16Conversion.ToSingle(new ReadOnlySpan<ushort>(slot, n), destination);
                break;
            default:
                new ReadOnlySpan<float>(slot, n).CopyTo(destination);
                break;
        }
    }

    /// <summary>The activations of <paramref name="indices"/> as one batch [B, ...SampleShape].</summary>
    public Tensor Gather(ReadOnlySpan<int> indices)
    {
        var dims = new int[SampleShape.Rank + 1];
        dims[0] = indices.Length;
        for (int i = 0; i < SampleShape.Rank; i++) dims[i + 1] = SampleShape[i];
        var batch = Tensor.Empty(new Shape(dims));
        int n = SampleShape.ElementCount;
        var ids = indices.ToArray();
        float* target = batch.Data;
        Parallelism.For(0, ids.Length, i => Read(ids[i], new Span<float>(target + (long)i * n, n)), minPerThread: Math.Max(1, 65536 / Math.Max(1, n)));
        return batch;
    }

    /// <summary>
    /// Makes a file cache reusable once a pass over every sample has finished: records which samples were written
    /// (those not written are the pass's unreadable images), flushes, and renames the partial file to its final name.
    /// Call it only after a whole pass: a later run trusts the holes as the data's bad images. Does nothing in memory.
    /// </summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_base == null, this);
        if (_partialPath is null) return;
        var bitmap = new Span<byte>(_data + DataBytes, BitmapBytes(Count));
        bitmap.Clear();
        for (int i = 0; i < Count; i++)
            if (IsFilled(i)) bitmap[i >> 3] |= (byte)(1 << (i & 7));
        WriteHeader(complete: true);
        _view!.Flush();
        File.Move(_partialPath, FilePath!, overwrite: true);
        _partialPath = null;
    }

    /// <summary>Releases the memory or the mapping; an uncommitted partial file is deleted.</summary>
    public void Dispose()
    {
        if (_base == null) return;
        if (_view is null) NativeMemory.AlignedFree(_base);
        else
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _file!.Dispose();
            if (_partialPath is not null) File.Delete(_partialPath);
        }
        _base = null;
        _data = null;
    }

    private static int BitmapBytes(int count) => (count + 7) / 8;

    /// <summary>Header, data (at least one byte, as a mapping cannot be empty) and the bitmap of written samples.</summary>
    private static long FileBytes(int count, long dataBytes) => HeaderBytes + Math.Max(dataBytes, 1) + BitmapBytes(count);

    private byte* Slot(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"Sample index outside 0..{Count - 1}.");
        return _data + (long)index * SampleShape.ElementCount * _elementBytes;
    }

    private void WriteHeader(bool complete)
    {
        var header = new Span<byte>(_base, HeaderBytes);
        header.Clear();
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], (int)Precision);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], Count);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], SampleShape.Rank);
        for (int i = 0; i < SampleShape.Rank; i++) BinaryPrimitives.WriteInt32LittleEndian(header[(20 + 4 * i)..], SampleShape[i]);
        header[60] = complete ? (byte)1 : (byte)0;
        Encoding.ASCII.GetBytes(Fingerprint, header[FingerprintOffset..]);
    }

    private static ActivationCache? TryOpenComplete(string path, int count, Shape shape, string fingerprint, CachePrecision precision)
    {
        if (!File.Exists(path)) return null;
        long expected = FileBytes(count, EstimateBytes(count, shape.ElementCount, precision));
        if (new FileInfo(path).Length != expected) return null;
        var header = new byte[FingerprintOffset + 64];
        using (var stream = File.OpenRead(path)) stream.ReadExactly(header);
        bool matches = header.AsSpan(0, 8).SequenceEqual(Magic)
            && BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8)) == (int)precision
            && BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12)) == count
            && BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(16)) == shape.Rank
            && Enumerable.Range(0, shape.Rank).All(i => BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(20 + 4 * i)) == shape[i])
            && header[60] == 1
            && Encoding.ASCII.GetString(header, FingerprintOffset, 64) == fingerprint;
        if (!matches) return null;
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
        return new ActivationCache(count, shape, fingerprint, precision, file, path, complete: true);
    }

    private static string Gib(long bytes) => $"{bytes / (double)(1L << 30):F2} GiB";
}
