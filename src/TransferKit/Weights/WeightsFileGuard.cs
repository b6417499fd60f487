using System.Buffers.Binary;

namespace TransferKit.Weights;

/// <summary>Refuses pickle checkpoints before any byte of them is interpreted.</summary>
internal static class WeightsFileGuard
{
    private static readonly string[] PickleExtensions = [".pt", ".pth", ".bin", ".ckpt", ".pkl", ".pickle"];

    /// <summary>Throws when <paramref name="path"/> is named or shaped like a pickle checkpoint.</summary>
    /// <exception cref="PickleWeightsException">The extension or the first bytes say pickle or zip.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static void EnsureNotPickle(string path)
    {
        string extension = Path.GetExtension(path);
        if (PickleExtensions.Any(e => string.Equals(e, extension, StringComparison.OrdinalIgnoreCase)))
            throw new PickleWeightsException(path, PickleEvidence.Extension);

        Span<byte> head = stackalloc byte[9];
        long length;
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
        {
            length = stream.Length;
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        head = head[..read];

        // A safetensors file is an 8-byte little-endian header length followed by '{'. Its first byte can be 0x80
        // (a header of 128 or 384 bytes), so the magic-byte checks below apply only when the file is not shaped so.
        if (read == 9 && head[8] == (byte)'{' && BinaryPrimitives.ReadUInt64LittleEndian(head) <= (ulong)(length - 8))
            return;
        if (read >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4)
            throw new PickleWeightsException(path, PickleEvidence.ZipArchive);
        if (read >= 2 && head[0] == 0x80 && head[1] is >= 1 and <= 5)
            throw new PickleWeightsException(path, PickleEvidence.PickleStream);
    }
}
