using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using TransferKit.Tensors;

namespace TransferKit.Weights;

/// <summary>
/// A read-only safetensors file, memory-mapped. <see cref="Open"/> validates the whole header before returning,
/// so every tensor listed can be read without further format errors. Tensors are converted to float32 on read.
/// Reading is thread-safe; dispose the file when done (tensors already read stay valid).
/// </summary>
public sealed unsafe class SafetensorsFile : IDisposable, ITensorFile
{
    private readonly Dictionary<string, SafetensorsTensorInfo> _byName;
    private MemoryMappedFile? _map;
    private MemoryMappedViewAccessor? _view;
    private byte* _data;

    private SafetensorsFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, byte* data, SafetensorsHeader header)
    {
        Path = path;
        _map = map;
        _view = view;
        _data = data;
        Metadata = header.Metadata.AsReadOnly();
        Tensors = header.Tensors.AsReadOnly();
        _byName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The path the file was opened from.</summary>
    public string Path { get; }

    /// <summary>The <c>__metadata__</c> entries (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Every tensor in the file, in the order of their byte offsets.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>
    /// Memory-maps <paramref name="path"/> and validates its header: length prefix, UTF-8 JSON object, dtypes,
    /// shapes, and byte ranges that tile the data buffer exactly with no gaps or overlaps.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="SafetensorsFormatException">The file is malformed; the message names the file and the reason.</exception>
    /// <exception cref="PlatformNotSupportedException">The machine is big-endian.</exception>
    public static SafetensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors files are little-endian; big-endian machines are not supported.");

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        MemoryMappedFile? map = null;
        MemoryMappedViewAccessor? view = null;
        byte* pointer = null;
        try
        {
            long length = stream.Length;
            if (length < 8)
                throw new SafetensorsFormatException(path, $"the file is {length} bytes, shorter than the 8-byte header length.");
            map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            byte* start = pointer + view.PointerOffset;

            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(start, 8));
            if (headerLength == 0)
                throw new SafetensorsFormatException(path, "the header length is 0.");
            if (headerLength > SafetensorsHeader.MaxHeaderBytes)
                throw new SafetensorsFormatException(path, $"the header length {headerLength} exceeds the {SafetensorsHeader.MaxHeaderBytes}-byte limit.");
            if ((long)headerLength > length - 8)
                throw new SafetensorsFormatException(path, $"the header length {headerLength} runs past the end of the {length}-byte file.");

            var header = SafetensorsHeader.Parse(path, new ReadOnlySpan<byte>(start + 8, (int)headerLength), length - 8 - (long)headerLength);
            return new SafetensorsFile(path, map, view, start + 8 + (long)headerLength, header);
        }
        catch
        {
            if (pointer != null) view!.SafeMemoryMappedViewHandle.ReleasePointer();
            view?.Dispose();
            map?.Dispose();
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Whether the file holds a tensor named <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The header entry of tensor <paramref name="name"/>.</summary>
    /// <exception cref="TensorNotFoundException">No such tensor; the message names the file and the key.</exception>
    public SafetensorsTensorInfo GetInfo(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out var info) ? info : throw new TensorNotFoundException(Path, name, _byName.Keys);
    }

    /// <summary>
    /// Reads tensor <paramref name="name"/> as a new float32 tensor of the stored shape (owned by the caller).
    /// F16, BF16 and F64 are converted; integer and boolean types become their values as floats.
    /// </summary>
    /// <exception cref="TensorNotFoundException">No such tensor.</exception>
    /// <exception cref="ShapeMismatchException">The tensor has more than <see cref="int.MaxValue"/> elements.</exception>
    public Tensor ReadTensor(string name)
    {
        var info = GetInfo(name);
        if (info.ElementCount > int.MaxValue)
            throw new ShapeMismatchException($"{Path}: tensor '{name}' of shape {info.ShapeText} has more elements than a Tensor can hold.");
        var tensor = Tensor.Empty(new Shape(info.Shape));
        try
        {
            ConvertToSingle(info, tensor.Span);
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Converts tensor <paramref name="name"/> to float32 into <paramref name="destination"/>, whose length must equal
    /// the tensor's element count (row-major order).
    /// </summary>
    /// <exception cref="TensorNotFoundException">No such tensor.</exception>
    /// <exception cref="ShapeMismatchException">The lengths differ; the message names the key, the stored shape and the destination length.</exception>
    public void ReadInto(string name, Span<float> destination)
    {
        var info = GetInfo(name);
        if (info.ElementCount != destination.Length)
            throw new ShapeMismatchException($"{Path}: tensor '{name}' has shape {info.ShapeText} ({info.ElementCount} elements), but the destination holds [{destination.Length}] elements.");
        ConvertToSingle(info, destination);
    }

    /// <summary>
    /// Converts tensor <paramref name="name"/> to float32 into <paramref name="destination"/>, whose shape must equal the stored shape
    /// (the check a state-dict load needs).
    /// </summary>
    /// <exception cref="TensorNotFoundException">No such tensor.</exception>
    /// <exception cref="ShapeMismatchException">The shapes differ; the message names the key and both shapes.</exception>
    public void ReadInto(string name, Tensor destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var info = GetInfo(name);
        if (!destination.Shape.SequenceEqual(info.Shape))
            throw new ShapeMismatchException($"{Path}: tensor '{name}' has shape {info.ShapeText}, but the destination has shape {destination.Shape}.");
        ConvertToSingle(info, destination.Span);
    }

    /// <summary>Reads an integer tensor (I64, I32, I16, I8, U8 or BOOL) as int32 values in row-major order, e.g. class labels.</summary>
    /// <exception cref="TensorNotFoundException">No such tensor.</exception>
    /// <exception cref="TransferKitException">The tensor holds floating-point values, or a value does not fit in an int32.</exception>
    public int[] ReadInt32(string name)
    {
        var info = GetInfo(name);
        if (!SafetensorsDTypeInfo.IsInteger(info.DType))
            throw new TransferKitException($"{Path}: tensor '{name}' has dtype {info.DType}; ReadInt32 needs an integer dtype.");
        if (info.ElementCount > Array.MaxLength)
            throw new TransferKitException($"{Path}: tensor '{name}' of shape {info.ShapeText} is too large for an array.");
        var result = new int[info.ElementCount];
        int size = SafetensorsDTypeInfo.SizeOf(info.DType);
        for (int start = 0; start < result.Length; start += ChunkElements)
        {
            int count = Math.Min(ChunkElements, result.Length - start);
            var bytes = Bytes(info, start, count);
            int bad = SafetensorsConvert.ToInt32(info.DType, bytes, result.AsSpan(start, count));
            if (bad >= 0)
            {
                long value = BinaryPrimitives.ReadInt64LittleEndian(bytes[(size * bad)..]);
                throw new TransferKitException($"{Path}: tensor '{name}' element {start + bad} is {value}, which does not fit in an int32.");
            }
        }
        return result;
    }

    /// <summary>Unmaps the file. Idempotent.</summary>
    public void Dispose()
    {
        var view = Interlocked.Exchange(ref _view, null);
        if (view is null) return;
        _data = null;
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        _map?.Dispose();
        _map = null;
    }

    /// <summary>Elements converted per span, so byte spans stay under 2 GB even for 8-byte dtypes.</summary>
    private const int ChunkElements = 1 << 24;

    private void ConvertToSingle(SafetensorsTensorInfo info, Span<float> destination)
    {
        for (int start = 0; start < destination.Length; start += ChunkElements)
        {
            int count = Math.Min(ChunkElements, destination.Length - start);
            SafetensorsConvert.ToSingle(info.DType, Bytes(info, start, count), destination.Slice(start, count));
        }
    }

    private ReadOnlySpan<byte> Bytes(SafetensorsTensorInfo info, int firstElement, int count)
    {
        ObjectDisposedException.ThrowIf(_data == null, this);
        long size = SafetensorsDTypeInfo.SizeOf(info.DType);
        // Safe by construction: Open checked that every range lies inside the mapped buffer.
        return new ReadOnlySpan<byte>(_data + info.Begin + firstElement * size, (int)(count * size));
    }
}
