using System.IO.Compression;
using TransferKit.Weights;

namespace TransferKit.Tests.Weights;

/// <summary>Crafted checkpoints (tools/fixtures/make_pth_fixtures.py) are refused with a typed error, and nothing runs.</summary>
public class PyTorchHostileCheckpointTests
{
    public static TheoryData<string, string?, string> Hostile() => new()
    {
        { "hostile_os_system.pth", "posix.system", "could run code" },
        { "hostile_os_system_p4.pth", "posix.system", "could run code" },
        { "hostile_eval.pth", "__builtin__.eval", "could run code" }, // protocol 2 writes Python 2's module name
        { "hostile_torch_load.pth", "torch.serialization.load", "could run code" },
        { "hostile_cuda_storage.pth", "torch.cuda.FloatStorage", "could run code" },
        { "hostile_huge_size.pth", null, "reads past storage '0'" },
        { "hostile_huge_stride.pth", null, "strides [4611686018427387904, 1] at offset 0 reads past" },
        { "hostile_bad_offset.pth", null, "reads past storage '0'" },
        { "hostile_negative_offset.pth", null, "storage offset -1" },
        { "hostile_huge_storage.pth", null, "claims 4611686018427387904 F32 elements" },
        { "hostile_storage_twice.pth", null, "described twice, as 6 F32 and as 3 F64" },
        { "hostile_missing_storage.pth", null, "no entry 'hostile_missing_storage/data/1'" },
        { "hostile_short_storage.pth", null, "its entry holds 12 bytes" },
        { "hostile_compressed.pth", null, "is compressed" },
        { "hostile_memo.pth", null, "memo entry 7" },
        { "hostile_truncated.pth", null, "truncated" },
        { "hostile_deep.pth", null, "holds a list" },
        { "hostile_cycle.pth", null, "no state_dict found" },
        { "hostile_newobj.pth", null, "opcode 0x81" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void IsRefusedWithATypedErrorNamingTheCause(string name, string? global, string reason)
    {
        string path = PthFixtures.File(name);
        var error = Assert.Throws<PyTorchCheckpointException>(() => PyTorchCheckpoint.Open(path).Dispose());

        Assert.Equal(path, error.FilePath);
        Assert.Equal(global, error.Global);
        if (global is not null) Assert.Contains($"'{global}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLoaderRefusesThemToo()
    {
        using var network = PthFixtures.Network();
        var error = Assert.Throws<PyTorchCheckpointException>(() => WeightsLoader.Load(network, PthFixtures.File("hostile_os_system.pth")));
        Assert.Equal("posix.system", error.Global);
    }

    [Fact]
    public void AMillionNestedListsNeitherRecurseNorLoad()
    {
        using var folder = new TempFolder();
        const int depth = 1_000_000;
        var pickle = new List<byte> { 0x80, 0x02 };
        pickle.AddRange(Enumerable.Repeat((byte)']', depth));
        pickle.AddRange(Enumerable.Repeat((byte)'a', depth - 1));
        pickle.Add((byte)'.');
        string path = folder.File("deep.pth");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var stream = zip.CreateEntry("deep/data.pkl", CompressionLevel.NoCompression).Open();
            stream.Write(pickle.ToArray());
        }

        var error = Assert.Throws<PyTorchCheckpointException>(() => PyTorchCheckpoint.Open(path).Dispose());
        Assert.Contains("holds a list", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALegacyPickleStreamIsRefusedWithTheConversionToRun()
    {
        string path = PthFixtures.File("legacy.pth");
        var error = Assert.Throws<PickleWeightsException>(() => PyTorchCheckpoint.Open(path));

        Assert.Equal(PickleEvidence.PickleStream, error.Evidence);
        Assert.Contains("legacy (pre-1.6)", error.Message, StringComparison.Ordinal);
        Assert.Contains("torch.save(torch.load('legacy.pth'), 'legacy.zip.pth')", error.Message, StringComparison.Ordinal);
        using var network = PthFixtures.Network();
        Assert.Throws<PickleWeightsException>(() => WeightsLoader.Load(network, path));
    }

    [Fact]
    public void AZipThatIsNoCheckpointIsRefused()
    {
        using var folder = new TempFolder();
        string path = folder.File("other.pth");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create)) zip.CreateEntry("readme.txt");
        var error = Assert.Throws<PyTorchCheckpointException>(() => PyTorchCheckpoint.Open(path));
        Assert.Contains("no '<name>/data.pkl'", error.Message, StringComparison.Ordinal);
    }
}
