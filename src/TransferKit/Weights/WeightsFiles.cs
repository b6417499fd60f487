using System.Buffers.Binary;

namespace TransferKit.Weights;

/// <summary>Tells weights formats apart by content and opens the right reader, so a file's extension is never trusted.</summary>
public static class WeightsFiles
{
    /// <summary>The format of <paramref name="path"/>, from its first 9 bytes and its length.</summary>
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
        return WeightsFileFormat.Unknown;
    }

    /// <summary>Opens <paramref name="path"/> with the reader its content calls for: a PyTorch zip checkpoint or safetensors.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="PickleWeightsException">The file is a legacy (pre-1.6) pickle checkpoint.</exception>
    /// <exception cref="PyTorchCheckpointException">A zip checkpoint is refused (unsafe global, malformed storage or tensor).</exception>
    /// <exception cref="SafetensorsFormatException">Any other file is not valid safetensors.</exception>
    internal static ITensorFile Open(string path) => Detect(path) switch
    {
        WeightsFileFormat.PyTorchZip => PyTorchCheckpoint.Open(path),
        WeightsFileFormat.PyTorchLegacy => throw new PickleWeightsException(path, PickleEvidence.PickleStream),
        _ => SafetensorsFile.Open(path),
    };
}
