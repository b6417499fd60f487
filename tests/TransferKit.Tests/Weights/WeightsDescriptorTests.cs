using System.Security.Cryptography;
using TransferKit.Models;
using TransferKit.Weights;

namespace TransferKit.Tests.Weights;

public class WeightsDescriptorTests
{
    private static readonly string Hash = new('0', 64);

    private static WeightsDescriptor Local(string path, string? sha = null) => new()
    {
        Name = "local", Architecture = "baseline_cnn", Source = WeightsSource.FromFile(path), Sha256 = sha,
        Preprocessing = PreprocessingSpec.ImageNet224,
    };

    [Fact]
    public void TimmExamplesCarryUrlPreprocessingAndKeyMap()
    {
        var resnet = TimmWeights.ResNet50A1(Hash);
        Assert.Equal("https://huggingface.co/timm/resnet50.a1_in1k/resolve/main/model.safetensors", resnet.Source.ToString());
        Assert.Equal(new PreprocessingSpec(224, 235, ResizeInterpolation.Bicubic, NormalizationSpec.ImageNet), resnet.Preprocessing);
        Assert.Same(KeyMap.Identity, resnet.KeyMap);
        Assert.Equal("resnet50", resnet.Architecture);
        Assert.Same(TimmKeyMaps.MobileNetV2, TimmWeights.MobileNetV2(Hash).KeyMap);
        Assert.Same(TimmKeyMaps.EfficientNetB0, TimmWeights.EfficientNetB0(Hash).KeyMap);
        Assert.Equal(256, TimmWeights.EfficientNetB0(Hash).Preprocessing.ResizeSize);
        Assert.Throws<ArgumentException>(() => TimmWeights.ResNet50A1("not-a-hash"));
    }

    [Fact]
    public void ValidationNamesTheField()
    {
        Assert.Contains("Sha256", Assert.Throws<ArgumentException>(() =>
            (TimmWeights.ResNet50A1(Hash) with { Sha256 = null }).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("Sha256", Assert.Throws<ArgumentException>(() => Local("x.safetensors", "xyz").Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("Name", Assert.Throws<ArgumentException>(() => (Local("x") with { Name = " " }).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("Classes", Assert.Throws<ArgumentException>(() => (Local("x") with { Classes = 0 }).Validate()).Message, StringComparison.Ordinal);
        Local("x.safetensors").Validate();
        Assert.Throws<ArgumentException>(() => WeightsSource.FromUrl("ftp://example.com/a.safetensors"));
        Assert.Throws<ArgumentException>(() => WeightsSource.FromUrl("relative/path"));
        Assert.Throws<ArgumentException>(() => WeightsSource.FromFile(""));
        Assert.Null(new DownloadProgress(10, null).Fraction);
        Assert.Equal(0.25, new DownloadProgress(1, 4).Fraction);
    }

    [Fact]
    public async Task LocalFilesAreVerifiedWhenAHashIsGiven()
    {
        using var folder = new TempFolder();
        string path = folder.File("local.safetensors");
        using var source = WeightsLoaderTests.Model(seed: 1);
        SafetensorsWriter.Write(path, source.StateDict());
        string sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        using var cache = new WeightsCache(new WeightsCacheOptions { Directory = folder.File("cache"), Offline = true });
        using var target = WeightsLoaderTests.Model(seed: 2);

        var error = await Assert.ThrowsAsync<WeightsChecksumException>(() => WeightsLoader.LoadAsync(target, Local(path, Hash), cache));
        Assert.Equal(path, error.Location);
        var report = await WeightsLoader.LoadAsync(target, Local(path, sha), cache);
        Assert.Equal(12, report.Loaded.Count);
        await WeightsLoader.LoadAsync(target, Local(path), cache);
        await Assert.ThrowsAsync<FileNotFoundException>(() => WeightsLoader.LoadAsync(target, Local(folder.File("absent.safetensors")), cache));
    }
}
