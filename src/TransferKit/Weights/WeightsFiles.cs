using System.Buffers.Binary;

namespace TransferKit.Weights;

/// <summary>Tells weights formats apart by content and opens the right reader, so a file's extension is never trusted.</summary>
public static class WeightsFiles
{
    /// <summary>
    /// The format of <paramref name="path"/>, from its first 9 bytes and its length, and for ONNX from a walk over the
    /// top-level protobuf fields (their tags and lengths only; payloads are skipped, so a large model costs a few reads).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static WeightsFileFormat Detect(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Span<byte> head = stackalloc byte[9];
        long length;
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
        {
            length = stream.Length;
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        head = head[..read];

        // A safetensors header length can start with 0x80 (a header of 128 or 384 bytes), so the pickle check below
        // applies only when the file is not shaped like safetensors.
        if (read == 9 && head[8] == (byte)'{' && BinaryPrimitives.ReadUInt64LittleEndian(head) <= (ulong)(length - 8))
            return WeightsFileFormat.Safetensors;
        if (read >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4)
            return WeightsFileFormat.PyTorchZip;
        if (read >= 2 && head[0] == 0x80 && head[1] is >= 1 and <= 5)
            return WeightsFileFormat.PyTorchLegacy;
        return IsOnnxModel(path) ? WeightsFileFormat.Onnx : WeightsFileFormat.Unknown;
    }

    /// <summary>Whether <paramref name="path"/> starts like safetensors (a header length, then <c>{</c>) without fitting it: a cut or damaged safetensors file.</summary>
    internal static bool StartsLikeSafetensors(string path)
    {
        Span<byte> head = stackalloc byte[9];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        return stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == 9 && head[8] == (byte)'{';
    }

    /// <summary>
    /// Whether the file is a serialized ONNX <c>ModelProto</c>: every top-level field has a valid tag and wire type, every
    /// length fits the file, the fields onnx.proto declares have their declared wire types, and a non-empty graph
    /// (field 7) is present. Random bytes or another format fail within the first few fields.
    /// </summary>
    private static bool IsOnnxModel(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        long length = stream.Length;
        bool graph = false;
        for (int fields = 0; stream.Position < length; fields++)
        {
            // A model has a dozen top-level fields; thousands means this is not one.
            if (fields > 4096 || !TryReadVarint(stream, out ulong tag)) return false;
            ulong field = tag >> 3;
            int wire = (int)(tag & 7);
            if (field is 0 or > 536_870_911) return false;
            // ir_version and model_version are varints; the strings, graph, opsets, metadata and functions are length-delimited.
            int expected = field switch { 1 or 5 => 0, 2 or 3 or 4 or 6 or 7 or 8 or 14 or 20 or 25 => 2, _ => -1 };
            if (expected >= 0 && wire != expected) return false;
            switch (wire)
            {
                case 0:
                    if (!TryReadVarint(stream, out _)) return false;
                    break;
                case 1 or 5:
                    long fixedSize = wire == 1 ? 8 : 4;
                    if (length - stream.Position < fixedSize) return false;
                    stream.Seek(fixedSize, SeekOrigin.Current);
                    break;
                case 2:
                    if (!TryReadVarint(stream, out ulong size) || size > (ulong)(length - stream.Position)) return false;
                    if (field == 7 && size > 0) graph = true;
                    stream.Seek((long)size, SeekOrigin.Current);
                    break;
                default:
                    return false;
            }
        }
        return graph;
    }

    /// <summary>Reads a protobuf base-128 varint of at most 10 bytes; false at the end of the stream or on an overlong one.</summary>
    private static bool TryReadVarint(Stream stream, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            int b = stream.ReadByte();
            if (b < 0) return false;
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return true;
        }
        return false;
    }

    /// <summary>Opens <paramref name="path"/> with the reader its content calls for: a PyTorch zip checkpoint or safetensors.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="PickleWeightsException">The file is a legacy (pre-1.6) pickle checkpoint.</exception>
    /// <exception cref="PyTorchCheckpointException">A zip checkpoint is refused (unsafe global, malformed storage or tensor).</exception>
    /// <exception cref="WeightsFormatException">The file is an ONNX model, which carries its own architecture.</exception>
    /// <exception cref="SafetensorsFormatException">Any other file is not valid safetensors.</exception>
    internal static ITensorFile Open(string path) => Detect(path) switch
    {
        WeightsFileFormat.PyTorchZip => PyTorchCheckpoint.Open(path),
        WeightsFileFormat.PyTorchLegacy => throw new PickleWeightsException(path, PickleEvidence.PickleStream),
        WeightsFileFormat.Onnx => throw new WeightsFormatException(path, WeightsFileFormat.Onnx,
            "it is an ONNX model, which brings its own architecture: use it as the backbone with UsePretrainedWeights(path) or UseOnnxBackbone(path) instead of loading it into a catalog network"),
        _ => SafetensorsFile.Open(path),
    };
}
