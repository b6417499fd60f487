using TransferKit.Weights;

namespace TransferKit.Tests.Weights;

public class PickleRefusalTests
{
    [Theory]
    [InlineData("resnet50.pth")]
    [InlineData("model.pt")]
    [InlineData("pytorch_model.bin")]
    [InlineData("last.ckpt")]
    [InlineData("LEGACY.PTH")]
    public void RefusesPickleExtensionsEvenWithSafetensorsContent(string name)
    {
        using var folder = new TempFolder();
        using var source = WeightsLoaderTests.Model(seed: 1);
        string path = folder.File(name);
        SafetensorsWriter.Write(path, source.StateDict());
        using var target = WeightsLoaderTests.Model(seed: 2);

        var error = Assert.Throws<PickleWeightsException>(() => WeightsLoader.Load(target, path));

        Assert.Equal(PickleEvidence.Extension, error.Evidence);
        Assert.Equal(path, error.FilePath);
        Assert.Contains("execute arbitrary code", error.Message, StringComparison.Ordinal);
        Assert.Contains("from safetensors.torch import save_file", error.Message, StringComparison.Ordinal);
        Assert.Contains($"torch.load('{name}')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesTorchSaveZipContentUnderAnyName()
    {
        using var folder = new TempFolder();
        byte[] zip = [(byte)'P', (byte)'K', 3, 4, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        string path = folder.Write("weights.safetensors", zip);
        using var target = WeightsLoaderTests.Model(seed: 3);

        var error = Assert.Throws<PickleWeightsException>(() => WeightsLoader.Load(target, path));

        Assert.Equal(PickleEvidence.ZipArchive, error.Evidence);
        Assert.Contains("save_file(torch.load('weights.safetensors'), 'weights.safetensors')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesALegacyPickleStream()
    {
        using var folder = new TempFolder();
        // PROTO 2, EMPTY_DICT, BINPUT 0, STOP: the smallest pickle of {}.
        string path = folder.Write("weights", [0x80, 0x02, 0x7D, 0x71, 0x00, 0x2E]);
        using var target = WeightsLoaderTests.Model(seed: 4);

        var error = Assert.Throws<PickleWeightsException>(() => WeightsLoader.Load(target, path));

        Assert.Equal(PickleEvidence.PickleStream, error.Evidence);
        Assert.IsAssignableFrom<TransferKitException>(error);
    }

    [Fact]
    public void OtherMalformedFilesAreFormatErrors()
    {
        using var folder = new TempFolder();
        string path = folder.Write("noise.safetensors", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        using var target = WeightsLoaderTests.Model(seed: 5);
        Assert.Throws<SafetensorsFormatException>(() => WeightsLoader.Load(target, path));
    }
}
