using System.IO.Compression;
using System.Text;
using TransferKit.Tensors;

namespace TransferKit.Weights;

/// <summary>
/// A PyTorch zip checkpoint (what <c>torch.save</c> writes since PyTorch 1.6: <c>&lt;name&gt;/data.pkl</c>,
/// <c>&lt;name&gt;/data/&lt;key&gt;</c> storages, <c>version</c>, optionally <c>byteorder</c>), read without executing
/// anything. The pickle is interpreted, not unpickled: only the opcodes and globals a <c>state_dict</c> needs are
/// understood (ordered dicts, tensor rebuilds, typed storages, dtypes), which is what
/// <c>torch.load(weights_only=True)</c> allows, and any other global (e.g. <c>os.system</c>) is refused by name.
/// <see cref="Open"/> validates every storage (present, stored uncompressed, of the size its dtype and element count
/// give) and every tensor (offset, sizes and strides inside its storage) before returning. Tensors are converted to
/// float32 on read; strided and shared views are materialised in row-major order. Reading is thread-safe.
/// </summary>
/// <remarks>
/// Which dict is the state_dict: a root dict of tensors; otherwise the root's single entry that is a dict of tensors
/// (e.g. <c>{"epoch": 3, "state_dict": {...}}</c>), preferring <c>state_dict</c>, then <c>model</c>, among several
/// (<see cref="StateDictKey"/> says which). Keys are kept as written. Legacy (pre-1.6, non-zip) checkpoints are refused
/// with <see cref="PickleWeightsException"/>.
/// </remarks>
public sealed class PyTorchCheckpoint : IDisposable, ITensorFile
{
    /// <summary>data.pkl larger than this is refused; a ResNet-50 state_dict's is about 60 KB.</summary>
    public const long MaxPickleBytes = 64L << 20;

    private readonly ZipArchive _archive;
    private readonly string _prefix;
    private readonly Dictionary<string, PyTorchTensorInfo> _byName;
    private readonly Lock _gate = new();
    private bool _disposed;

    private PyTorchCheckpoint(string path, ZipArchive archive, string prefix, List<PyTorchTensorInfo> tensors, string? stateDictKey)
    {
        Path = path;
        _archive = archive;
        _prefix = prefix;
        Tensors = tensors.AsReadOnly();
        StateDictKey = stateDictKey;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        long begin = 0;
        var headers = new List<SafetensorsTensorInfo>(tensors.Count);
        foreach (var t in tensors)
        {
            long end = begin + t.ElementCount * SafetensorsDTypeInfo.SizeOf(t.DType);
            headers.Add(new SafetensorsTensorInfo(t.Name, t.DType, t.Shape, begin, end));
            begin = end;
        }
        Headers = headers.AsReadOnly();
    }

    /// <summary>The path the checkpoint was opened from.</summary>
    public string Path { get; }

    /// <summary>The state_dict's tensors, in the checkpoint's order.</summary>
    public IReadOnlyList<PyTorchTensorInfo> Tensors { get; }

    /// <summary>The root key the state_dict was found under (e.g. <c>state_dict</c>), or null when the root is the state_dict.</summary>
    public string? StateDictKey { get; }

    /// <summary>
    /// The tensors as safetensors header entries (name, dtype, shape), with byte ranges laid out contiguously in
    /// checkpoint order, as a conversion to safetensors would write them; for the loader and <see cref="ArchitectureIdentifier"/>.
    /// </summary>
    public IReadOnlyList<SafetensorsTensorInfo> Headers { get; }

    IReadOnlyList<SafetensorsTensorInfo> ITensorFile.Tensors => Headers;

    /// <summary>Whether <paramref name="path"/> starts with a zip signature, as a <c>torch.save</c> checkpoint does.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static bool IsZipCheckpoint(string path) => WeightsFiles.Detect(path) == WeightsFileFormat.PyTorchZip;

    /// <summary>Opens and validates <paramref name="path"/>; no tensor data is read until asked for.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="PickleWeightsException">The file is a legacy (pre-1.6) pickle checkpoint; the message says how to convert it.</exception>
    /// <exception cref="PyTorchCheckpointException">
    /// The pickle names a global or uses an opcode a state_dict does not need (<see cref="PyTorchCheckpointException.Global"/>
    /// names the global), or the archive, a storage or a tensor is malformed; the message names the file and the reason.
    /// </exception>
    public static PyTorchCheckpoint Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("PyTorch checkpoints are read as little-endian; big-endian machines are not supported.");
        var format = WeightsFiles.Detect(path);
        if (format == WeightsFileFormat.PyTorchLegacy) throw new PickleWeightsException(path, PickleEvidence.PickleStream);
        if (format != WeightsFileFormat.PyTorchZip)
            throw new PyTorchCheckpointException(path, "the file is not a zip archive, so it is not a torch.save checkpoint (PyTorch 1.6 or later).");

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        ZipArchive? archive = null;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
            string prefix = FindPrefix(path, archive);
            CheckByteOrder(path, archive, prefix);
            var storages = new Dictionary<string, TorchStorage>(StringComparer.Ordinal);
            byte[] pickle = ReadEntry(path, Entry(path, archive, prefix + "data.pkl"), MaxPickleBytes);
            object? root = TorchUnpickler.Load(path, pickle, id => LoadStorage(path, archive, prefix, storages, id));
            var (tensors, key) = StateDictSelector.Select(path, root);
            var infos = tensors.Select(kv => new PyTorchTensorInfo(
                kv.Key, kv.Value.Storage.DType, kv.Value.Shape, kv.Value.Strides, kv.Value.Storage.Key, kv.Value.Offset)).ToList();
            return new PyTorchCheckpoint(path, archive, prefix, infos, key);
        }
        catch (InvalidDataException e)
        {
            archive?.Dispose();
            stream.Dispose();
            throw new PyTorchCheckpointException(path, $"the zip archive is malformed ({e.Message}).");
        }
        catch
        {
            archive?.Dispose();
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Whether the state_dict holds a tensor named <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The entry of tensor <paramref name="name"/>.</summary>
    /// <exception cref="TensorNotFoundException">No such tensor; the message names the file and the key.</exception>
    public PyTorchTensorInfo GetInfo(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out var info) ? info : throw new TensorNotFoundException(Path, name, _byName.Keys);
    }

    /// <summary>Reads tensor <paramref name="name"/> as a new float32 tensor of its shape (owned by the caller), converting F16, BF16, F64 and integers.</summary>
    /// <exception cref="TensorNotFoundException">No such tensor.</exception>
    /// <exception cref="PyTorchCheckpointException">The tensor is too large for a <see cref="Tensor"/>, or its storage cannot be read.</exception>
    public Tensor ReadTensor(string name)
    {
        var info = GetInfo(name);
        CheckReadable(info);
        var tensor = Tensor.Empty(new Shape(info.Shape));
        try
        {
            Convert(info, tensor.Span);
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>Converts tensor <paramref name="name"/> to float32 into <paramref name="destination"/>, whose shape must equal the tensor's.</summary>
    /// <exception cref="TensorNotFoundException">No such tensor.</exception>
    /// <exception cref="ShapeMismatchException">The shapes differ; the message names the key and both shapes.</exception>
    /// <exception cref="PyTorchCheckpointException">The storage cannot be read.</exception>
    public void ReadInto(string name, Tensor destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var info = GetInfo(name);
        if (!destination.Shape.SequenceEqual(info.Shape))
            throw new ShapeMismatchException($"{Path}: tensor '{name}' has shape {info.ShapeText}, but the destination has shape {destination.Shape}.");
        CheckReadable(info);
        Convert(info, destination.Span);
    }

    /// <summary>Closes the archive. Idempotent.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _archive.Dispose();
        }
    }

    private void CheckReadable(PyTorchTensorInfo info)
    {
        if (info.ElementCount > int.MaxValue)
            throw new PyTorchCheckpointException(Path, $"tensor '{info.Name}' of shape {info.ShapeText} has more elements than a Tensor can hold.");
    }

    private void Convert(PyTorchTensorInfo info, Span<float> destination)
    {
        if (destination.IsEmpty) return;
        int size = SafetensorsDTypeInfo.SizeOf(info.DType);
        // The span the view reads, from its first element to its last; Open checked it lies inside the storage.
        long span = 1;
        for (int d = 0; d < info.Shape.Length; d++) span += (info.Shape[d] - 1) * info.Strides[d];
        if (span * size > Array.MaxLength)
            throw new PyTorchCheckpointException(Path, $"tensor '{info.Name}' spans {span * size} bytes of storage '{info.StorageKey}', more than one read can hold.");
        byte[] raw = ReadStorageRange(info.StorageKey, info.StorageOffset * size, (int)(span * size));
        byte[] packed = raw;
        if (!info.IsContiguous)
        {
            packed = new byte[destination.Length * size];
            StridedGather.Copy(raw, size, info.Shape, info.Strides, packed);
        }
        SafetensorsConvert.ToSingle(info.DType, packed.AsSpan(0, destination.Length * size), destination);
    }

    private byte[] ReadStorageRange(string key, long start, int count)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var entry = Entry(Path, _archive, _prefix + "data/" + key);
            using var stream = entry.Open();
            try
            {
                if (stream.CanSeek) stream.Seek(start, SeekOrigin.Begin);
                else Skip(stream, start);
                var bytes = new byte[count];
                stream.ReadExactly(bytes);
                return bytes;
            }
            catch (EndOfStreamException)
            {
                throw new PyTorchCheckpointException(Path, $"storage '{key}' ends before the {count} bytes at byte {start} that a tensor reads.");
            }
            catch (InvalidDataException e)
            {
                throw new PyTorchCheckpointException(Path, $"storage '{key}' cannot be read ({e.Message}).");
            }
        }
    }

    private static void Skip(Stream stream, long count)
    {
        var buffer = new byte[(int)Math.Min(count, 1 << 16)];
        while (count > 0)
        {
            int read = stream.Read(buffer, 0, (int)Math.Min(count, buffer.Length));
            if (read == 0) throw new EndOfStreamException();
            count -= read;
        }
    }

    /// <summary>The folder that holds data.pkl (torch names it after the file, or <c>archive</c>), with its slash.</summary>
    private static string FindPrefix(string path, ZipArchive archive)
    {
        var pickles = archive.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)
            && e.FullName.IndexOf('/', StringComparison.Ordinal) == e.FullName.Length - "/data.pkl".Length).ToList();
        return pickles.Count switch
        {
            1 => pickles[0].FullName[..^"data.pkl".Length],
            0 => throw new PyTorchCheckpointException(path, "the zip archive has no '<name>/data.pkl', so it is not a torch.save checkpoint."),
            _ => throw new PyTorchCheckpointException(path, $"the zip archive has {pickles.Count} data.pkl entries; a torch.save checkpoint has one."),
        };
    }

    private static void CheckByteOrder(string path, ZipArchive archive, string prefix)
    {
        var entry = archive.GetEntry(prefix + "byteorder");
        if (entry is null) return; // torch before 2.1 writes none, and only little-endian
        string order = Encoding.ASCII.GetString(ReadEntry(path, entry, 16)).Trim();
        if (order != "little")
            throw new PyTorchCheckpointException(path, $"the checkpoint's byte order is '{order}'; only little-endian checkpoints are read.");
    }

    /// <summary>
    /// Checks a persistent id <c>('storage', torch.&lt;T&gt;Storage, key, location, numel)</c> against the archive: the
    /// entry exists, is stored uncompressed, and holds exactly numel elements of the storage's type.
    /// </summary>
    private static TorchStorage LoadStorage(string path, ZipArchive archive, string prefix, Dictionary<string, TorchStorage> storages, PickleTuple id)
    {
        var a = id.Items;
        if (a.Length != 5 || a[0] is not "storage" || a[1] is not PickleGlobal type || a[2] is not string key || a[3] is not string || a[4] is not long numel)
            throw new PyTorchCheckpointException(path, "a persistent id is not ('storage', type, key, location, size); only storages are loaded.");
        if (!TorchGlobals.TryStorageType(type, out var dtype))
            throw new PyTorchCheckpointException(path, $"'{type.FullName}' is not a storage type.", type.FullName);
        if (key.Length == 0 || key.Length > 64 || !key.All(char.IsAsciiLetterOrDigit))
            throw new PyTorchCheckpointException(path, $"storage key '{key}' is not a plain name.");
        if (numel < 0) throw new PyTorchCheckpointException(path, $"storage '{key}' has a negative size {numel}.");
        if (storages.TryGetValue(key, out var known))
        {
            if (known.DType != dtype || known.Numel != numel)
                throw new PyTorchCheckpointException(path, $"storage '{key}' is described twice, as {known.Numel} {known.DType} and as {numel} {dtype}.");
            return known;
        }
        var entry = Entry(path, archive, prefix + "data/" + key);
        CheckStored(path, entry);
        int size = SafetensorsDTypeInfo.SizeOf(dtype);
        if (numel > entry.Length / size || numel * size != entry.Length)
            throw new PyTorchCheckpointException(path, $"storage '{key}' claims {numel} {dtype} elements, but its entry holds {entry.Length} bytes ({entry.Length / size} elements).");
        var storage = new TorchStorage(key, dtype, numel);
        storages.Add(key, storage);
        return storage;
    }

    private static ZipArchiveEntry Entry(string path, ZipArchive archive, string name) =>
        archive.GetEntry(name) ?? throw new PyTorchCheckpointException(path, $"the zip archive has no entry '{name}'.");

    /// <summary>torch.save stores entries uncompressed; a compressed entry could expand far beyond the file (a zip bomb), so it is refused.</summary>
    private static void CheckStored(string path, ZipArchiveEntry entry)
    {
        if (entry.Length != entry.CompressedLength)
            throw new PyTorchCheckpointException(path, $"entry '{entry.FullName}' is compressed ({entry.CompressedLength} bytes expanding to {entry.Length}); torch.save stores entries uncompressed, so the file is refused.");
    }

    private static byte[] ReadEntry(string path, ZipArchiveEntry entry, long limit)
    {
        CheckStored(path, entry);
        if (entry.Length > limit)
            throw new PyTorchCheckpointException(path, $"entry '{entry.FullName}' is {entry.Length} bytes, above the {limit}-byte limit.");
        var bytes = new byte[entry.Length];
        using var stream = entry.Open();
        try
        {
            stream.ReadExactly(bytes);
        }
        catch (EndOfStreamException)
        {
            throw new PyTorchCheckpointException(path, $"entry '{entry.FullName}' is shorter than its {entry.Length} bytes.");
        }
        return bytes;
    }
}
