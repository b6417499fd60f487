using System.Buffers.Binary;
using TransferKit.Tensors;
using TransferKit.Weights;

namespace TransferKit.Tests.Weights;

public class SafetensorsFileTests
{
    internal static float[] Values(SafetensorsFile file, string name)
    {
        using var t = file.ReadTensor(name);
        return t.ToArray();
    }

    private static RawSafetensors.Entry E(string name, string dtype, long[] shape, byte[] data) => new(name, dtype, shape, data);

    [Fact]
    public void WriterRoundTripsTensorsAndMetadata()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        using var a = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        using var b = Tensor.FromArray([-0.5f, float.MaxValue, float.Epsilon], 3);
        using var c = Tensor.FromArray([7], 1, 1, 1, 1);
        using var scalar = Tensor.FromArray([42], []);
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            ["description"] = "{\"classes\": [\"cat\", \"dog\"], \"note\": \"tab\\t ünïcødé + <html>\"}",
        };
        SafetensorsWriter.Write(path, [new("layer1.0.conv1.weight", a), new("b", b), new("c", c), new("scalar", scalar)], metadata);

        using var file = SafetensorsFile.Open(path);
        Assert.Equal(path, file.Path);
        Assert.Equal(metadata, file.Metadata);
        Assert.Equal(["layer1.0.conv1.weight", "b", "c", "scalar"], file.Tensors.Select(t => t.Name));
        Assert.All(file.Tensors, t => Assert.Equal(SafetensorsDType.F32, t.DType));
        Assert.Equal(0, file.Tensors[0].Begin);
        Assert.Equal(24, file.Tensors[0].End);
        Assert.Equal([1, 1, 1, 1], file.GetInfo("c").Shape);
        Assert.Empty(file.GetInfo("scalar").Shape);

        using var ra = file.ReadTensor("layer1.0.conv1.weight");
        Assert.Equal(a.Shape, ra.Shape);
        Assert.Equal(a.ToArray(), ra.ToArray());
        Assert.Equal(b.ToArray(), Values(file, "b"));
        using var rs = file.ReadTensor("scalar");
        Assert.Equal(42f, rs.Item());
        Assert.True(file.Contains("b"));
        Assert.False(file.Contains("B"));

        // The header is padded so the buffer is 8-byte aligned in the file.
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(File.ReadAllBytes(path));
        Assert.Equal(0ul, headerLength % 8);
    }

    [Fact]
    public void ReadIntoChecksLengthAndShapeNamingKeyAndShapes()
    {
        using var folder = new TempFolder();
        string path = folder.File("w.safetensors");
        using (var w = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3))
            SafetensorsWriter.Write(path, [new("fc.weight", w)]);
        using var file = SafetensorsFile.Open(path);

        var dest = new float[6];
        file.ReadInto("fc.weight", dest);
        Assert.Equal([1f, 2, 3, 4, 5, 6], dest);

        var ex = Assert.Throws<ShapeMismatchException>(() => file.ReadInto("fc.weight", new float[5]));
        Assert.Contains("'fc.weight'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 3]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[5]", ex.Message, StringComparison.Ordinal);

        using var wrong = Tensor.Zeros(3, 2);
        var ex2 = Assert.Throws<ShapeMismatchException>(() => file.ReadInto("fc.weight", wrong));
        Assert.Contains("'fc.weight'", ex2.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 3]", ex2.Message, StringComparison.Ordinal);
        Assert.Contains("[3, 2]", ex2.Message, StringComparison.Ordinal);

        using var right = Tensor.Zeros(2, 3);
        file.ReadInto("fc.weight", right);
        Assert.Equal(6f, right.Span[5]);
    }

    [Fact]
    public void MissingKeyNamesFileAndKey()
    {
        using var folder = new TempFolder();
        string path = folder.File("w.safetensors");
        using (var w = Tensor.Zeros(2))
            SafetensorsWriter.Write(path, [new("fc.bias", w)]);
        using var file = SafetensorsFile.Open(path);
        var ex = Assert.Throws<TensorNotFoundException>(() => file.ReadTensor("fc.weight"));
        Assert.Equal(path, ex.FilePath);
        Assert.Equal("fc.weight", ex.TensorName);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("'fc.bias'", ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<TransferKitException>(ex);
    }

    [Fact]
    public void ConvertsEveryDTypeToFloat()
    {
        float[] halfValues = [0f, 1f, -2.5f, 65504f, 6.1035156e-05f, 5.9604645e-08f];
        float[] bf16Values = [0f, 1f, -3.140625f, 3.3895314e38f, -1.1754944e-38f];
        double[] f64Values = [0.1, -1e10, 1e-40, double.MaxValue];
        long[] i64Values = [0, -1, 1L << 40, 123];
        int[] i32Values = [int.MinValue, -7, 0, int.MaxValue];
        short[] i16Values = [short.MinValue, -1, 300, short.MaxValue];
        sbyte[] i8Values = [-128, -1, 0, 127];
        byte[] u8Values = [0, 1, 200, 255];
        byte[] boolValues = [0, 1, 0];

        byte[] bytes = RawSafetensors.Build(
        [
            E("h", "F16", [2, 3], RawSafetensors.Bytes(halfValues, 2, (b, o, v) => BinaryPrimitives.WriteHalfLittleEndian(b.AsSpan(o), (Half)v))),
            E("bf", "BF16", [5], RawSafetensors.Bytes(bf16Values, 2, (b, o, v) => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(o), (ushort)(BitConverter.SingleToUInt32Bits(v) >> 16)))),
            E("d", "F64", [4], RawSafetensors.Bytes(f64Values, 8, (b, o, v) => BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(o), v))),
            E("l", "I64", [2, 2], RawSafetensors.Bytes(i64Values, 8, (b, o, v) => BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(o), v))),
            E("i", "I32", [4], RawSafetensors.Bytes(i32Values, 4, (b, o, v) => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(o), v))),
            E("s", "I16", [4], RawSafetensors.Bytes(i16Values, 2, (b, o, v) => BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(o), v))),
            E("c", "I8", [4], RawSafetensors.Bytes(i8Values, 1, (b, o, v) => b[o] = (byte)v)),
            E("u", "U8", [4], u8Values),
            E("flag", "BOOL", [3], boolValues),
        ], metadataJson: "{\"k\":\"v\"}");

        using var folder = new TempFolder();
        using var file = SafetensorsFile.Open(folder.Write("dtypes.safetensors", bytes));
        Assert.Equal("v", file.Metadata["k"]);
        Assert.Equal(SafetensorsDType.F16, file.GetInfo("h").DType);
        Assert.Equal(SafetensorsDType.BOOL, file.GetInfo("flag").DType);

        using var h = file.ReadTensor("h");
        Assert.Equal(new Shape(2, 3), h.Shape);
        Assert.Equal(halfValues, h.ToArray());
        Assert.Equal(bf16Values, Values(file, "bf"));
        Assert.Equal(f64Values.Select(v => (float)v), Values(file, "d"));
        Assert.Equal(i64Values.Select(v => (float)v), Values(file, "l"));
        Assert.Equal(i32Values.Select(v => (float)v), Values(file, "i"));
        Assert.Equal(i16Values.Select(v => (float)v), Values(file, "s"));
        Assert.Equal(i8Values.Select(v => (float)v), Values(file, "c"));
        Assert.Equal(u8Values.Select(v => (float)v), Values(file, "u"));
        Assert.Equal([0f, 1f, 0f], Values(file, "flag"));

        Assert.Equal(i32Values, file.ReadInt32("i"));
        Assert.Equal(i16Values.Select(v => (int)v), file.ReadInt32("s"));
        Assert.Equal(i8Values.Select(v => (int)v), file.ReadInt32("c"));
        Assert.Equal(u8Values.Select(v => (int)v), file.ReadInt32("u"));
        Assert.Equal([0, 1, 0], file.ReadInt32("flag"));

        var overflow = Assert.Throws<TransferKitException>(() => file.ReadInt32("l"));
        Assert.Contains("element 2 is 1099511627776", overflow.Message, StringComparison.Ordinal);
        var notInt = Assert.Throws<TransferKitException>(() => file.ReadInt32("h"));
        Assert.Contains("dtype F16", notInt.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadInt32OfSmallI64Labels()
    {
        long[] labels = [2, 0, 1, -1];
        byte[] bytes = RawSafetensors.Build([E("labels", "I64", [4], RawSafetensors.Bytes(labels, 8, (b, o, v) => BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(o), v)))]);
        using var folder = new TempFolder();
        using var file = SafetensorsFile.Open(folder.Write("labels.safetensors", bytes));
        Assert.Equal([2, 0, 1, -1], file.ReadInt32("labels"));
    }

    [Fact]
    public void TensorsAreListedInOffsetOrderWhateverTheHeaderOrder()
    {
        string json = "{\"second\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},\"first\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        using var folder = new TempFolder();
        using var file = SafetensorsFile.Open(folder.Write("order.safetensors", RawSafetensors.Build(json, RawSafetensors.F32(1, 2))));
        Assert.Equal(["first", "second"], file.Tensors.Select(t => t.Name));
        Assert.Equal([2f], Values(file, "second"));
    }

    [Fact]
    public void WriterReplacesExistingFileAndLeavesNoTemporaries()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.safetensors");
        using (var x = Tensor.Full(new Shape(4), 1f)) SafetensorsWriter.Write(path, [new("x", x)]);
        using (var y = Tensor.Full(new Shape(2), 2f)) SafetensorsWriter.Write(path, [new("y", y)], new Dictionary<string, string> { ["v"] = "2" });
        using var file = SafetensorsFile.Open(path);
        Assert.False(file.Contains("x"));
        Assert.Equal([2f, 2f], Values(file, "y"));
        Assert.Equal(["m.safetensors"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void WriterRejectsBadNamesBeforeTouchingTheTarget()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.safetensors");
        using var t = Tensor.Zeros(1);
        Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path, [new("a", t), new("a", t)]));
        Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path, [new("", t)]));
        Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path, [new("__metadata__", t)]));
        var disposed = Tensor.Zeros(1);
        disposed.Dispose();
        Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path, [new("d", disposed)]));
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void WriterWithNoTensorsWritesAValidFile()
    {
        using var folder = new TempFolder();
        string path = folder.File("empty.safetensors");
        SafetensorsWriter.Write(path, []);
        using var file = SafetensorsFile.Open(path);
        Assert.Empty(file.Tensors);
        Assert.Empty(file.Metadata);
    }

    [Fact]
    public void ReadingAfterDisposeThrows()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.safetensors");
        using (var x = Tensor.Zeros(2)) SafetensorsWriter.Write(path, [new("x", x)]);
        var file = SafetensorsFile.Open(path);
        file.Dispose();
        file.Dispose();
        Assert.Throws<ObjectDisposedException>(() => file.ReadInto("x", new float[2]));
    }
}
