using System.Text.Json;
using TransferKit.Api;
using TransferKit.Models;
using TransferKit.Tensors;
using TransferKit.Weights;

namespace TransferKit.Tests.Weights;

/// <summary>
/// Which catalog architecture a weights header fits. Headers are built from a network's state dict without writing a
/// file, except where the file itself is under test; mobilenet_v2 is the smallest catalog network.
/// </summary>
public class ArchitectureIdentifierTests
{
    private static readonly Lazy<List<(string Key, int[] Shape)>> MobileNetV2State = new(() =>
    {
        using var network = Architectures.MobileNetV2.CreateImageNet();
        return network.StateDict().Select(kv => (kv.Key, kv.Value.Shape.ToArray())).ToList();
    });

    /// <summary>A header with the entries back to back as F32, as a file of them would have.</summary>
    private static List<SafetensorsTensorInfo> Header(IEnumerable<(string Key, int[] Shape)> entries)
    {
        var header = new List<SafetensorsTensorInfo>();
        long offset = 0;
        foreach (var (key, shape) in entries)
        {
            long bytes = 4 * shape.Aggregate(1L, (n, d) => n * d);
            header.Add(new SafetensorsTensorInfo(key, SafetensorsDType.F32, shape, offset, offset + bytes));
            offset += bytes;
        }
        return header;
    }

    /// <summary>mobilenet_v2's state with its head <c>classifier.1</c> given <paramref name="classes"/> outputs.</summary>
    private static IEnumerable<(string Key, int[] Shape)> WithClasses(int classes) => MobileNetV2State.Value.Select(e => e.Key switch
    {
        "classifier.1.weight" => (e.Key, new[] { classes, 1280 }),
        "classifier.1.bias" => (e.Key, new[] { classes }),
        _ => e,
    });

    [Fact]
    public void TheFullImageNetStateFitsExactly_AndBatchCountersAreIgnored()
    {
        var state = MobileNetV2State.Value.ToList();
        state.Add(("features.0.1.num_batches_tracked", []));

        var match = Assert.Single(ArchitectureIdentifier.Identify(Header(state)));

        Assert.Equal("mobilenet_v2", match.Architecture.Name);
        Assert.Same(KeyMap.Identity, match.KeyMap);
        Assert.Equal(HeadFit.Exact, match.Head);
        Assert.Equal(1000, match.HeadOutputs);
        Assert.Equal(["classifier.1.bias", "classifier.1.weight"], match.HeadTensors.Select(t => t.Name));
        Assert.Equal("mobilenet_v2: every tensor, with its ImageNet head 'classifier' (1000 classes)", match.Describe());
        Assert.Equal("mobilenet_v2 (with its ImageNet head)", match.ToString());
    }

    [Fact]
    public void AnotherClassCount_IsAReplacedHead_WithItsOutputs()
    {
        var match = Assert.Single(ArchitectureIdentifier.Identify(Header(WithClasses(3))));

        Assert.Equal(HeadFit.Replaced, match.Head);
        Assert.Equal(3, match.HeadOutputs);
        Assert.Equal("mobilenet_v2: the backbone; the head 'classifier' is replaced: classifier.1.bias [3], classifier.1.weight [3, 1280]", match.Describe());
        Assert.Equal("mobilenet_v2 (head replaced, 3 outputs)", match.ToString());
    }

    [Fact]
    public void AHeadOfAnotherLayout_IsReplaced_WithNoOutputCount()
    {
        // A TransferKit head with a hidden layer: keys ImageNet's head does not have.
        var state = MobileNetV2State.Value.Where(e => !e.Key.StartsWith("classifier.", StringComparison.Ordinal))
            .Concat([("classifier.0.weight", new[] { 64, 1280 }), ("classifier.0.bias", new[] { 64 }), ("classifier.3.weight", new[] { 2, 64 }), ("classifier.3.bias", new[] { 2 })]);

        var match = Assert.Single(ArchitectureIdentifier.Identify(Header(state)));

        Assert.Equal(HeadFit.Replaced, match.Head);
        Assert.Null(match.HeadOutputs);
        Assert.Equal(4, match.HeadTensors.Count);
        Assert.Equal("mobilenet_v2 (head replaced)", match.ToString());
    }

    [Fact]
    public void ABackboneOnly_HasItsHeadMissing()
    {
        var state = MobileNetV2State.Value.Where(e => !e.Key.StartsWith("classifier.", StringComparison.Ordinal));

        var match = Assert.Single(ArchitectureIdentifier.Identify(Header(state)));

        Assert.Equal(HeadFit.Missing, match.Head);
        Assert.Empty(match.HeadTensors);
        Assert.Null(match.HeadOutputs);
        Assert.Equal("mobilenet_v2: the backbone; the head 'classifier' is missing", match.Describe());
    }

    [Fact]
    public void TimmNames_FitThroughTheTimmKeyMap()
    {
        // timm's mobilenetv2_100 keys and shapes, derived independently of torchvision (see TimmKeyMapsTests).
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Weights", "timm_mobilenetv2_100.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var keys = document.RootElement.GetProperty("keys").EnumerateArray()
            .Select(e => (e.GetProperty("key").GetString()!, e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray()));

        var match = Assert.Single(ArchitectureIdentifier.Identify(Header(keys)));

        Assert.Equal("mobilenet_v2", match.Architecture.Name);
        Assert.Same(TimmKeyMaps.MobileNetV2, match.KeyMap);
        Assert.Equal(HeadFit.Exact, match.Head);
        Assert.Equal("mobilenet_v2 (key names: timm-mobilenetv2_100): every tensor, with its ImageNet head 'classifier' (1000 classes)", match.Describe());
    }

    [Fact]
    public void NoArchitectureFits_AMissingKeyOrAnotherShapeOfTheSameSize()
    {
        var missing = MobileNetV2State.Value.Where(e => e.Key != "features.3.conv.1.0.weight");
        // Same element count, so the parameter-count pre-filter passes and the shape comparison must reject it.
        var transposed = MobileNetV2State.Value.Select(e => e.Key == "features.0.0.weight" ? (e.Key, new[] { 3, 32, 3, 3 }) : e);
        var renamed = MobileNetV2State.Value.Select(e => ("model." + e.Key, e.Shape));

        Assert.Empty(ArchitectureIdentifier.Identify(Header(missing)));
        Assert.Empty(ArchitectureIdentifier.Identify(Header(transposed)));
        Assert.Empty(ArchitectureIdentifier.Identify(Header(renamed)));
        Assert.Empty(ArchitectureIdentifier.Identify([]));
    }

    [Fact]
    public void BatchNormStatistics_AreToldFromParameters()
    {
        var header = Header([("bn.running_mean", [4]), ("bn.running_var", [4]), ("bn.num_batches_tracked", []), ("bn.weight", [4]), ("running_mean_head.weight", [4])]);

        Assert.Equal([true, true, true, false, false], header.Select(t => t.IsBatchNormStatistic));
    }

    [Fact]
    public void ATruncatedFile_IsAFormatErrorNamingTheFile()
    {
        using var folder = new TempFolder();
        var good = RawSafetensors.Build([new RawSafetensors.Entry("w", "F32", [4], RawSafetensors.F32([1, 2, 3, 4]))]);
        string truncated = folder.Write("truncated.safetensors", good[..^4]);

        var error = Assert.Throws<SafetensorsFormatException>(() => ArchitectureIdentifier.Identify(truncated));

        Assert.Equal(truncated, error.FilePath);
        Assert.StartsWith(truncated, error.Message, StringComparison.Ordinal);
        Assert.Empty(ArchitectureIdentifier.Identify(folder.Write("small.safetensors", good)));
        Assert.Throws<FileNotFoundException>(() => ArchitectureIdentifier.Identify(folder.File("absent.safetensors")));
        // The content decides: safetensors bytes under a .pth name are read as safetensors; a legacy pickle is refused.
        Assert.Empty(ArchitectureIdentifier.Identify(folder.Write("model.pth", good)));
        Assert.Throws<PickleWeightsException>(() => ArchitectureIdentifier.Identify(folder.Write("legacy.bin", [0x80, 0x02, 0x7D, 0x2E])));
    }

    [Fact]
    public void TheBuildersMismatchError_SaysWhichArchitectureTheFileFits()
    {
        using var folder = new TempFolder();
        string path = folder.File("mobilenet_v2-3-classes.safetensors");
        using (var source = Architectures.MobileNetV2.Create(3, 0)) SafetensorsWriter.Write(path, source.StateDict());
        Assert.Equal("mobilenet_v2 (head replaced, 3 outputs)", Assert.Single(ArchitectureIdentifier.Identify(path)).ToString());

        var error = Assert.Throws<WeightsMismatchException>(() => ImageClassifier.Create()
            .UseArchitecture(Architectures.MobileNetV3Large).UsePretrainedWeights(path).WithClasses("cat", "dog").Build());

        Assert.Equal(path, error.FilePath);
        Assert.Equal("mobilenet_v2", Assert.Single(error.FileFits!).Architecture.Name);
        Assert.EndsWith("The file fits mobilenet_v2 (head replaced, 3 outputs).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLoadersMismatchError_SaysWhenTheFileFitsNoArchitecture()
    {
        using var folder = new TempFolder();
        string path = folder.File("tiny.safetensors");
        using (var source = new TinyConvNet(classes: 3, seed: 1)) SafetensorsWriter.Write(path, source.StateDict());
        using var target = new TinyConvNet(classes: 5, seed: 2);

        var error = Assert.Throws<WeightsMismatchException>(() => WeightsLoader.Load(target, path));

        Assert.Empty(error.FileFits!);
        Assert.EndsWith("The file fits no catalog architecture.", error.Message, StringComparison.Ordinal);
        Assert.Null(new WeightsMismatchException(path, "identity", ["a"], [], []).FileFits);
    }
}
