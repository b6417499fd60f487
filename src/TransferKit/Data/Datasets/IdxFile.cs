using System.Buffers.Binary;
using System.IO.Compression;

namespace TransferKit.Data.Datasets;

/// <summary>
/// An unsigned-byte IDX file (the MNIST and Fashion-MNIST format): a 4-byte magic (two zero bytes, type 0x08 for
/// unsigned bytes, the number of dimensions), one big-endian 32-bit size per dimension, then the values row-major.
/// Gzip-compressed files (.gz, as distributed) are read through a decompressor bounded by the size the header states.
/// </summary>
internal sealed class IdxFile
{
    private const byte UnsignedByteType = 0x08;
    private const int MaxDimensions = 4;

    // Fashion-MNIST's largest file holds 47 MB; a header that claims over 1 GiB is damaged, not big.
    private const long MaxValues = 1L << 30;

    private IdxFile(int[] dimensions, byte[] values)
    {
        Dimensions = dimensions;
        Values = values;
    }

    /// <summary>Size of each dimension, outermost first.</summary>
    public int[] Dimensions { get; }

    /// <summary>All values, row-major.</summary>
    public byte[] Values { get; }

    /// <summary>Reads an unsigned-byte IDX file with <paramref name="expectedDimensions"/> dimensions.</summary>
    /// <exception cref="DatasetException">The file is missing, unreadable, not unsigned-byte IDX, has another number of
    /// dimensions, or holds fewer or more bytes than its header states; the message names the file.</exception>
    public static IdxFile Read(string path, int expectedDimensions)
    {
        try
        {
            if (!File.Exists(path))
            {
                throw new DatasetException(path, "IDX file does not exist");
            }

            using Stream file = File.OpenRead(path);
            using Stream stream = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : file;
            return Read(stream, path, expectedDimensions);
        }
        catch (InvalidDataException ex)
        {
            throw new DatasetException(path, $"is not a valid gzip stream ({ex.Message})", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException(path, $"cannot be read ({ex.Message})", ex);
        }
    }

    private static IdxFile Read(Stream stream, string path, int expectedDimensions)
    {
        Span<byte> magic = stackalloc byte[4];
        if (stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4)
        {
            throw new DatasetException(path, "ends before the 4-byte IDX magic number");
        }

        if (magic[0] != 0 || magic[1] != 0 || magic[2] != UnsignedByteType || magic[3] is 0 or > MaxDimensions)
        {
            throw new DatasetException(path,
                $"does not start with an unsigned-byte IDX magic number (00 00 08 0n), but {Convert.ToHexString(magic)}");
        }

        if (magic[3] != expectedDimensions)
        {
            throw new DatasetException(path, $"has {magic[3]} dimensions where {expectedDimensions} were expected");
        }

        var dimensions = new int[magic[3]];
        Span<byte> size = stackalloc byte[4];
        long total = 1;
        for (int d = 0; d < dimensions.Length; d++)
        {
            if (stream.ReadAtLeast(size, 4, throwOnEndOfStream: false) < 4)
            {
                throw new DatasetException(path, $"ends inside the size of dimension {d}");
            }

            uint value = BinaryPrimitives.ReadUInt32BigEndian(size);
            if (value is 0 or > int.MaxValue)
            {
                throw new DatasetException(path, $"dimension {d} has size {value}");
            }

            dimensions[d] = (int)value;
            total *= value;
            if (total > MaxValues)
            {
                throw new DatasetException(path, $"its header claims more than {MaxValues:N0} values ({string.Join(" x ", dimensions[..(d + 1)])}...)");
            }
        }

        var values = new byte[total];
        int read = stream.ReadAtLeast(values, values.Length, throwOnEndOfStream: false);
        if (read < values.Length)
        {
            throw new DatasetException(path, $"holds {read:N0} of the {values.Length:N0} bytes its header states (truncated)");
        }

        if (stream.ReadByte() >= 0)
        {
            throw new DatasetException(path, $"holds more than the {values.Length:N0} bytes its header states");
        }

        return new IdxFile(dimensions, values);
    }

    private static bool IsGzip(Stream file)
    {
        Span<byte> head = stackalloc byte[2];
        int n = file.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return n == 2 && head[0] == 0x1f && head[1] == 0x8b;
    }
}
