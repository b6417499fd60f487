using System.Buffers.Binary;
using System.Text;
using TransferKit.Api;
using TransferKit.Models;
using TransferKit.Weights;

namespace TransferKit.Tests.Api;

/// <summary>Issue 12 (1): every byte of a saved model is either verified or cannot change what a load returns.</summary>
public sealed class ModelFileIntegrityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-integrity-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (string Path, float[] Logits, ModelMetadata Meta) Saved()
    {
        var (net, meta) = ModelFileTests.Trained();
        using var _ = net;
        string path = Path.Combine(_dir, "model.safetensors");
        ModelFile.Save(path, net, meta);
        var (loaded, loadedMeta) = ModelFile.Load(path);
        using (loaded) return (path, ModelFileTests.Logits(loaded), loadedMeta);
    }

    /// <summary>Loads <paramref name="bytes"/>; true when it loaded a model that predicts exactly as the original, false when it threw ModelFileException.</summary>
    private bool LoadsIdentically(byte[] bytes, string path, float[] logits, ModelMetadata meta)
    {
        File.WriteAllBytes(path, bytes);
        ConvNet net;
        ModelMetadata loaded;
        try
        {
            (net, loaded) = ModelFile.Load(path);
        }
        catch (ModelFileException)
        {
            return false;
        }
        using (net)
        {
            Assert.Equal(logits, ModelFileTests.Logits(net));
            Assert.Equal(meta.ClassNames, loaded.ClassNames);
            Assert.Equal(meta.Preprocessing, loaded.Preprocessing);
            Assert.Equal(meta.Network.Head!.Describe(3), loaded.Network.Head!.Describe(3));
        }
        return true;
    }

    /// <summary>The smallest model with every kind of field: a one-block baseline CNN, a pooled head, two classes.</summary>
    private (string Path, float[] Logits, ModelMetadata Meta) SavedTiny()
    {
        var blueprint = new NetworkBlueprint
        {
            Architecture = NetworkBlueprint.BaselineCnnName,
            BaselineChannels = [2],
            Classes = 2,
            Head = HeadSpec.Pooled(),
            FeatureMapShape = [2, 8, 8],
        };
        using var net = blueprint.Build();
        var meta = new ModelMetadata
        {
            Network = blueprint,
            ClassNames = ["a", "b"],
            Preprocessing = new PreprocessingSpec(16, 18, ResizeInterpolation.Bilinear, NormalizationSpec.ImageNet),
        };
        string path = Path.Combine(_dir, "tiny.safetensors");
        ModelFile.Save(path, net, meta);
        var (loaded, loadedMeta) = ModelFile.Load(path);
        using (loaded) return (path, ModelFileTests.Logits(loaded), loadedMeta);
    }

    /// <summary>
    /// Every bit of the <c>__metadata__</c> object (the JSON and its seal) and one bit of every other header byte, flipped
    /// one at a time. TRANSFERKIT_FLIP_EVERY_HEADER_BIT=1 flips every bit of the whole header (about eight times longer).
    /// </summary>
    [Fact]
    public void EveryBitFlipOfTheMetadata_FailsTheLoadOrChangesNothing()
    {
        var (path, logits, meta) = SavedTiny();
        byte[] original = File.ReadAllBytes(path);
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(original);
        string header = Encoding.UTF8.GetString(original, 0, headerEnd);
        int metadataStart = header.IndexOf("\"__metadata__\"", StringComparison.Ordinal);
        string sealKey = "\"transferkit.sha256\":\"";
        int metadataEnd = header.IndexOf(sealKey, StringComparison.Ordinal) + sealKey.Length + 64 + 2;
        Assert.True(metadataStart > 0 && metadataEnd > metadataStart && header[metadataEnd - 1] == '}');
        int lastBrace = header.LastIndexOf('}');
        bool everyBit = Environment.GetEnvironmentVariable("TRANSFERKIT_FLIP_EVERY_HEADER_BIT") == "1";
        string target = Path.Combine(_dir, "flipped.safetensors");
        var silent = new List<int>();
        for (int i = 0; i < headerEnd; i++)
        {
            bool all = everyBit || (i >= metadataStart && i < metadataEnd);
            for (int bit = all ? 0 : i % 8; bit < (all ? 8 : i % 8 + 1); bit++)
            {
                byte[] copy = (byte[])original.Clone();
                copy[i] ^= (byte)(1 << bit);
                if (LoadsIdentically(copy, target, logits, meta)) silent.Add(i);
            }
        }
        // Only flips of the space padding after the JSON may load; they change no value.
        Assert.All(silent, i => Assert.True(i > lastBrace, $"a flip at byte {i} of {headerEnd} loaded"));
    }

    [Fact]
    public void BitFlipsInTheTensorBytesFailTheLoad()
    {
        var (path, logits, meta) = SavedTiny();
        byte[] original = File.ReadAllBytes(path);
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(original);
        string target = Path.Combine(_dir, "flipped.safetensors");
        var random = new Random(12);
        for (int n = 0; n < 100; n++)
        {
            byte[] copy = (byte[])original.Clone();
            copy[random.Next(headerEnd, copy.Length)] ^= (byte)(1 << random.Next(8));
            Assert.False(LoadsIdentically(copy, target, logits, meta));
        }
    }

    /// <summary>Rewrites the saved model with its metadata JSON edited by <paramref name="edit"/>, sealed again, so only validation can refuse it.</summary>
    private string Resealed(string path, Func<string, string> edit, bool seal = true) => Resealed(_dir, path, edit, seal);

    /// <summary>Rewrites the model at <paramref name="path"/> into <paramref name="dir"/> with its metadata JSON edited by <paramref name="edit"/>, sealed again unless <paramref name="seal"/> is false.</summary>
    internal static string Resealed(string dir, string path, Func<string, string> edit, bool seal = true)
    {
        string json;
        var tensors = new Dictionary<string, TransferKit.Tensors.Tensor>(StringComparer.Ordinal);
        using (var file = SafetensorsFile.Open(path))
        {
            json = file.Metadata["transferkit"];
            foreach (var info in file.Tensors) tensors[info.Name] = file.ReadTensor(info.Name).Persist();
        }
        string edited = edit(json);
        Assert.NotEqual(json, edited);
        string target = Path.Combine(dir, $"edited-{Guid.NewGuid():N}.safetensors");
        var metadata = seal ? IntegrityChecksum.Seal("transferkit", edited) : new Dictionary<string, string> { ["transferkit"] = edited };
        SafetensorsWriter.Write(target, tensors, metadata);
        foreach (var t in tensors.Values) t.Dispose();
        return target;
    }

    public static TheoryData<string, string, string> Damaged => new()
    {
        { "\"network\":{", "\"network\":null,\"x\":{", "network" },
        { "\"classNames\":[\"circle\",\"square\",\"star\"]", "\"classNames\":null", "classNames" },
        { "\"classNames\":[\"circle\",\"square\",\"star\"]", "\"classNames\":[\"circle\",\"circle\",\"star\"]", "classNames[1]" },
        { "\"classNames\":[\"circle\",\"square\",\"star\"]", "\"classNames\":[\"circle\",\"\",\"star\"]", "classNames[1]" },
        { "\"classNames\":[\"circle\",\"square\",\"star\"]", "\"classNames\":[\"circle\",\"square\"]", "classNames" },
        { "\"normalization\":{", "\"normalization\":null,\"x\":{", "normalization" },
        { "\"mean\":[", "\"mean\":null,\"x\":[", "mean" },
        { "\"std\":[0.229", "\"std\":[0", "Std[0]" },
        { "\"std\":[0.229", "\"std\":[-0.229", "Std[0]" },
        { "\"std\":[0.229,", "\"std\":[", "Std" },
        { "\"inputSize\":16", "\"inputSize\":2000000000", "InputSize" },
        { "\"resizeSize\":18", "\"resizeSize\":99999999999", "JSON" },
        { "\"classes\":3", "\"classes\":2000000000", "network.classes" },
        { "\"classes\":3", "\"classes\":-1", "network.classes" },
        { "\"featureMapShape\":[8,4,4]", "\"featureMapShape\":[8,4]", "network.featureMapShape" },
        { "\"featureMapShape\":[8,4,4]", "\"featureMapShape\":[8,0,4]", "network.featureMapShape[1]" },
        { "\"featureMapShape\":[8,4,4]", "\"featureMapShape\":[65536,4,4]", "network.head" },
        { "\"units\":6", "\"units\":2000000000", "network.head" },
        { "\"units\":6", "\"units\":0", "network.head" },
        { "\"units\":6", "\"units\":7", "network" },
        { "\"baselineChannels\":[4,8]", "\"baselineChannels\":[4,2000000000]", "network.baselineChannels[1]" },
        { "\"baselineChannels\":[4,8]", "\"baselineChannels\":[4,9]", "network" },
        { "\"architecture\":\"baseline_cnn\"", "\"architecture\":\"resnet9000\"", "network.architecture" },
        { "\"pooling\":\"concat\"", "\"pooling\":7", "JSON" },
        { "\"version\":4", "\"version\":5", "version" },
        { "\"resizeMode\":\"centerCrop\"", "\"resizeMode\":\"squash\"", "JSON" },
        { "\"format\":\"transferkit.model\"", "\"format\":\"other\"", "format" },
        { "\"tensorChecksum\":\"", "\"tensorChecksum\":\"x", "tensorChecksum" },
        { "\"notes\":{\"epochs\":\"3\"}", "\"notes\":{\"epochs\":null}", "notes" },
    };

    [Theory]
    [MemberData(nameof(Damaged))]
    public void EveryFieldIsValidated_AndOnlyModelFileExceptionNamingItEscapes(string find, string replace, string field)
    {
        var (path, _, _) = Saved();
        string edited = Resealed(path, json => json.Replace(find, replace, StringComparison.Ordinal));
        var e = Assert.Throws<ModelFileException>(() => TrainedModel.Load(edited));
        Assert.Contains(field, e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Path.GetFileName(edited), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnsealedFileMustBeVersion1_WhichStillLoadsValidated()
    {
        var (path, logits, meta) = Saved();
        Assert.Contains("checksum", Assert.Throws<ModelFileException>(() => ModelFile.Load(Resealed(path, j => j + " ", seal: false))).Message);

        string v1 = Resealed(path, j => j.Replace("\"version\":4", "\"version\":1", StringComparison.Ordinal), seal: false);
        Assert.True(LoadsIdentically(File.ReadAllBytes(v1), Path.Combine(_dir, "v1.safetensors"), logits, meta));
        string badV1 = Resealed(path, j => j.Replace("\"version\":4", "\"version\":1", StringComparison.Ordinal).Replace("\"inputSize\":16", "\"inputSize\":2000000000", StringComparison.Ordinal), seal: false);
        Assert.Contains("InputSize", Assert.Throws<ModelFileException>(() => ModelFile.Load(badV1)).Message);
    }

    [Fact]
    public void TheMetadataSealIsWrittenBesideTheJson()
    {
        var (path, _, _) = Saved();
        using var file = SafetensorsFile.Open(path);
        Assert.Equal(IntegrityChecksum.Seal("transferkit", file.Metadata["transferkit"])["transferkit.sha256"], file.Metadata["transferkit.sha256"]);
        Assert.Contains("\"version\":4", file.Metadata["transferkit"], StringComparison.Ordinal);
    }
}
