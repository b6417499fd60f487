using TransferKit.Weights;

namespace TransferKit.Tests.Weights;

/// <summary>Weights files are told apart by content, never by extension, and each format goes to its own reader.</summary>
public class WeightsFilesTests
{
    [Theory]
    [InlineData("resnet50.pth")]
    [InlineData("model.pt")]
    [InlineData("pytorch_model.bin")]
    [InlineData("LEGACY.PTH")]
    public void SafetensorsContentLoadsUnderAPickleExtension(string name)
    {
        using var folder = new TempFolder();
        using var source = WeightsLoaderTests.Model(seed: 1);
        string path = folder.File(name);
        SafetensorsWriter.Write(path, source.StateDict());
        using var target = WeightsLoaderTests.Model(seed: 2);

        Assert.Equal(WeightsFileFormat.Safetensors, WeightsFiles.Detect(path));
        WeightsLoader.Load(target, path);

        Assert.Equal(source.StateDict()["classifier.weight"].ReadOnlySpan.ToArray(), target.StateDict()["classifier.weight"].ReadOnlySpan.ToArray());
    }

    [Fact]
    public void ACheckpointLoadsUnderTheSafetensorsExtension()
    {
        using var folder = new TempFolder();
        string path = folder.File("weights.safetensors");
        File.Copy(PthFixtures.File("baseline_f32.pth"), path);
        using var network = PthFixtures.Network();

        Assert.Equal(WeightsFileFormat.PyTorchZip, WeightsFiles.Detect(path));
        Assert.True(PyTorchCheckpoint.IsZipCheckpoint(path));
        WeightsLoader.Load(network, path);

        NumericAssert.Close(PthFixtures.ExpectedLogits("f32"), PthFixtures.Logits(network), Tolerances.GoldenRelative, Tolerances.GoldenAbsolute, "logits");
    }

    [Fact]
    public void ATruncatedZipIsACheckpointError()
    {
        using var folder = new TempFolder();
        byte[] zip = [(byte)'P', (byte)'K', 3, 4, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        string path = folder.Write("weights.safetensors", zip);
        using var target = WeightsLoaderTests.Model(seed: 3);

        var error = Assert.Throws<PyTorchCheckpointException>(() => WeightsLoader.Load(target, path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("zip archive is malformed", error.Message, StringComparison.Ordinal);
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
        Assert.Equal(WeightsFileFormat.PyTorchLegacy, WeightsFiles.Detect(path));
        Assert.Contains("execute arbitrary code", error.Message, StringComparison.Ordinal);
        Assert.Contains("from safetensors.torch import save_file", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<TransferKitException>(error);
    }

    [Fact]
    public void OtherMalformedFilesAreFormatErrors()
    {
        using var folder = new TempFolder();
        string path = folder.Write("noise.pth", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        using var target = WeightsLoaderTests.Model(seed: 5);
        Assert.Equal(WeightsFileFormat.Unknown, WeightsFiles.Detect(path));
        Assert.Throws<SafetensorsFormatException>(() => WeightsLoader.Load(target, path));
    }

    [Fact]
    public void UsePretrainedWeightsAcceptsAPthFile()
    {
        string path = PthFixtures.File("baseline_bf16.pth");
        using var trainer = TransferKit.Api.ImageClassifier.Create()
            .UseBaselineCnn(new TransferKit.Models.BaselineCnnOptions { Channels = [4, 8] })
            .UsePretrainedWeights(path)
            .WithClasses("a", "b", "c")
            .WithInputSize(8)
            .Build();
        using var file = PyTorchCheckpoint.Open(path);
        using var expected = file.ReadTensor("features.1.0.weight");

        Assert.Equal(expected.ReadOnlySpan.ToArray(), trainer.Network.StateDict()["features.1.0.weight"].ReadOnlySpan.ToArray());
    }

    [Fact]
    public void ArchitectureIdentifierReadsACheckpoint()
    {
        // The small network is no catalog architecture; the point is that the .pth is read, not refused.
        Assert.Empty(ArchitectureIdentifier.Identify(PthFixtures.File("baseline_f32.pth")));
        Assert.Throws<PyTorchCheckpointException>(() => ArchitectureIdentifier.Identify(PthFixtures.File("hostile_eval.pth")));
    }
}
