using System.Text;
using TransferKit.Weights;

namespace TransferKit.Tests.Weights;

/// <summary>Every malformed layout is rejected at open with a <see cref="SafetensorsFormatException"/> naming the file and the reason.</summary>
public class SafetensorsValidationTests
{
    private static string T(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    private static byte[] Header(string json, int bufferBytes) => RawSafetensors.Build(json, new byte[bufferBytes]);

    public static TheoryData<string, byte[], string> Cases() => new()
    {
        { "empty file", [], "shorter than the 8-byte header length" },
        { "7 bytes", new byte[7], "shorter than the 8-byte header length" },
        { "header length 0", RawSafetensors.Build([], [], 0), "header length is 0" },
        { "header over 100 MB", RawSafetensors.Build("{}"u8.ToArray(), [], 100_000_001), "exceeds the 100000000-byte limit" },
        { "header past end", RawSafetensors.Build("{}"u8.ToArray(), [], 3), "runs past the end of the 10-byte file" },
        { "header huge u64", RawSafetensors.Build("{}"u8.ToArray(), [], ulong.MaxValue), "exceeds" },
        { "not UTF-8", RawSafetensors.Build([(byte)'{', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)':', (byte)'1', (byte)'}'], []), "not valid UTF-8" },
        { "not JSON", Header("{\"a\": ", 0), "not valid JSON" },
        { "trailing comma", Header("{\"__metadata__\":{},}", 0), "not valid JSON" },
        { "array", Header("[1, 2]", 0), "starting with '{'" },
        { "leading space", Header(" {}", 0), "starting with '{'" },
        { "unknown dtype", Header("{" + T("w", "U16", "[2]", 0, 4) + "}", 4), "unsupported dtype 'U16'" },
        { "lower-case dtype", Header("{" + T("w", "f32", "[1]", 0, 4) + "}", 4), "unsupported dtype 'f32'" },
        { "negative dim", Header("{" + T("w", "F32", "[2,-1]", 0, 0) + "}", 0), "negative dimension -1" },
        { "fractional dim", Header("{" + T("w", "F32", "[1.5]", 0, 4) + "}", 4), "not an integer" },
        { "count overflow", Header("{" + T("w", "F64", "[2147483647,2147483647,2147483647]", 0, 0) + "}", 0), "overflows" },
        { "size mismatch", Header("{" + T("w", "F32", "[2]", 0, 4) + "}", 4), "needs 8 bytes, but data_offsets [0, 4] span 4" },
        { "beyond buffer", Header("{" + T("w", "F32", "[2]", 0, 8) + "}", 4), "beyond the data buffer of 4 bytes" },
        { "begin after end", Header("{" + T("w", "F32", "[0]", 8, 4) + "}", 8), "begin after end" },
        { "negative offset", Header("{" + T("w", "F32", "[1]", -4, 0) + "}", 4), "not a non-negative 64-bit integer" },
        { "three offsets", Header("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 4), "array of two integers" },
        { "missing dtype", Header("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "needs a string 'dtype'" },
        { "missing shape", Header("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), "needs an array 'shape'" },
        { "unknown field", Header("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4), "unknown field 'x'" },
        { "entry not object", Header("{\"w\":[1]}", 0), "must be an object" },
        { "empty name", Header("{" + T("", "F32", "[1]", 0, 4) + "}", 4), "empty name" },
        { "gap at start", Header("{" + T("w", "F32", "[1]", 4, 8) + "}", 8), "starts with 4 unused bytes before tensor 'w'" },
        { "gap between", Header("{" + T("a", "F32", "[1]", 0, 4) + "," + T("b", "F32", "[1]", 8, 12) + "}", 12), "4 unused bytes between tensor 'a' and tensor 'b'" },
        { "overlap", Header("{" + T("a", "F32", "[2]", 0, 8) + "," + T("b", "F32", "[1]", 4, 8) + "}", 8), "overlaps tensor 'a'" },
        { "same range twice", Header("{" + T("a", "F32", "[1]", 0, 4) + "," + T("b", "F32", "[1]", 0, 4) + "}", 4), "overlaps" },
        { "trailing bytes", Header("{" + T("w", "F32", "[1]", 0, 4) + "}", 6), "cover 4 bytes but the data buffer holds 6" },
        { "no tensors but bytes", Header("{}", 4), "cover 0 bytes but the data buffer holds 4" },
        { "duplicate name", Header("{" + T("w", "F32", "[1]", 0, 4) + "," + T("w", "F32", "[1]", 4, 8) + "}", 8), "names 'w' twice" },
        { "duplicate metadata", Header("{\"__metadata__\":{},\"__metadata__\":{}}", 0), "names '__metadata__' twice" },
        { "metadata number", Header("{\"__metadata__\":{\"epochs\":3}}", 0), "metadata value 'epochs' must be a string" },
        { "metadata not object", Header("{\"__metadata__\":\"x\"}", 0), "must be an object of strings" },
        { "too deep", Header("{\"__metadata__\":{\"a\":[[[[[[[[[[1]]]]]]]]]]}}", 0), "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MalformedFileIsRejectedWithReason(string description, byte[] bytes, string reason)
    {
        using var folder = new TempFolder();
        string path = folder.Write("bad.safetensors", bytes);
        var ex = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.Equal(path, ex.FilePath);
        Assert.StartsWith(path + ": ", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Reason.Contains(reason, StringComparison.Ordinal), $"{description}: reason '{ex.Reason}' lacks '{reason}'.");
    }

    [Fact]
    public void RejectedFileCanBeReplacedAfterwards()
    {
        // The mapping and handle must be released when Open fails, or the file stays locked on some systems.
        using var folder = new TempFolder();
        string path = folder.Write("bad.safetensors", Header("{\"a\": ", 0));
        Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path));
        File.Delete(path);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void MissingFileIsFileNotFound()
    {
        using var folder = new TempFolder();
        Assert.Throws<FileNotFoundException>(() => SafetensorsFile.Open(folder.File("none.safetensors")));
    }

    [Fact]
    public void HeaderPaddedWithSpacesAndZeroElementTensorsAreAccepted()
    {
        using var folder = new TempFolder();
        string json = "{" + T("empty", "F32", "[0,3]", 0, 0) + "," + T("w", "F32", "[1]", 0, 4) + "," + T("z", "I64", "[0]", 4, 4) + "}   ";
        string path = folder.Write("ok.safetensors", RawSafetensors.Build(Encoding.UTF8.GetBytes(json), RawSafetensors.F32(2.5f)));
        using var file = SafetensorsFile.Open(path);
        Assert.Equal(3, file.Tensors.Count);
        Assert.Equal([0, 3], file.GetInfo("empty").Shape);
        Assert.Equal([2.5f], SafetensorsFileTests.Values(file, "w"));
        using var empty = file.ReadTensor("empty");
        Assert.Equal(0, empty.Length);
        Assert.Empty(file.ReadInt32("z"));
        Assert.Empty(file.Metadata);
    }
}
