using TransferKit.Api;
using TransferKit.Models;
using TransferKit.Tensors;

namespace TransferKit.Tests.Api;

public sealed class ModelFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-model-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static (ConvNet Net, ModelMetadata Meta) Trained()
    {
        var blueprint = new NetworkBlueprint
        {
            Architecture = NetworkBlueprint.BaselineCnnName,
            BaselineChannels = [4, 8],
            Classes = 3,
            Head = HeadSpec.Pooled(HeadPooling.Concat).Hidden(6).BatchNorm().Dropout(0.3f),
            FeatureMapShape = [8, 4, 4],
        };
        var net = blueprint.Build();
        var random = new Random(5);
        foreach (var (_, t) in net.StateDict())
        {
            var s = t.Span;
            for (int i = 0; i < s.Length; i++) s[i] = (float)random.NextDouble() + 0.1f;
        }
        var meta = new ModelMetadata
        {
            Network = blueprint,
            ClassNames = ["circle", "square", "star"],
            Preprocessing = new PreprocessingSpec(16, 18, ResizeInterpolation.Bilinear, NormalizationSpec.ImageNet),
            Notes = new Dictionary<string, string> { ["epochs"] = "3" },
        };
        return (net, meta);
    }

    internal static float[] Logits(ConvNet net)
    {
        net.Eval();
        using var scope = TensorScope.Begin();
        var x = Tensor.Empty(2, 3, 16, 16);
        var s = x.Span;
        for (int i = 0; i < s.Length; i++) s[i] = MathF.Cos(i * 0.37f);
        return net.Forward(x).ToArray();
    }

    [Fact]
    public void RoundTripGivesTheSameNetworkAndMetadata()
    {
        var (net, meta) = Trained();
        using var _ = net;
        string path = Path.Combine(_dir, "model.safetensors");
        ModelFile.Save(path, net, meta);
        Assert.Equal([path], Directory.GetFiles(_dir));
        var (loaded, loadedMeta) = ModelFile.Load(path);
        using var __ = loaded;
        Assert.Equal(Logits(net), Logits(loaded));
        Assert.Equal(meta.ClassNames, loadedMeta.ClassNames);
        Assert.Equal(meta.Preprocessing, loadedMeta.Preprocessing);
        Assert.Equal(meta.Network.Head!.Describe(3), loadedMeta.Network.Head!.Describe(3));
        Assert.Equal("3", loadedMeta.Notes["epochs"]);
        Assert.Equal(64, loadedMeta.TensorChecksum.Length);
    }

    [Fact]
    public void TruncatedAndBitFlippedFilesFailClearly()
    {
        var (net, meta) = Trained();
        using var _ = net;
        string path = Path.Combine(_dir, "model.safetensors");
        ModelFile.Save(path, net, meta);
        byte[] bytes = File.ReadAllBytes(path);

        string truncated = Path.Combine(_dir, "truncated.safetensors");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length * 2 / 3)]);
        var e1 = Assert.Throws<ModelFileException>(() => ModelFile.Load(truncated));
        Assert.Contains("truncated.safetensors", e1.Message);

        string flipped = Path.Combine(_dir, "flipped.safetensors");
        byte[] copy = (byte[])bytes.Clone();
        copy[^5] ^= 0x10;
        File.WriteAllBytes(flipped, copy);
        var e2 = Assert.Throws<ModelFileException>(() => ModelFile.Load(flipped));
        Assert.Contains("corrupted", e2.Message);

        Assert.Contains("does not exist", Assert.Throws<ModelFileException>(() => ModelFile.Load(Path.Combine(_dir, "missing.safetensors"))).Message);
    }

    [Fact]
    public void AWeightsFileIsNotMistakenForAModel()
    {
        var (net, _) = Trained();
        using var __ = net;
        string path = Path.Combine(_dir, "weights.safetensors");
        TransferKit.Weights.SafetensorsWriter.Write(path, net.StateDict());
        Assert.Contains("WeightsLoader", Assert.Throws<ModelFileException>(() => ModelFile.Load(path)).Message);
    }
}
