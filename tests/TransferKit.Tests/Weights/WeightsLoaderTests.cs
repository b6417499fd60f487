using System.Text;
using TransferKit.Models;
using TransferKit.Nn;
using TransferKit.Tensors;
using TransferKit.Weights;

namespace TransferKit.Tests.Weights;

public class WeightsLoaderTests
{
    internal static BaselineCnn Model(int seed, int classes = 3, int lastChannels = 8)
    {
        var model = new BaselineCnn(new BaselineCnnOptions { Channels = [4, lastChannels], Classes = classes, Seed = seed });
        // Fresh BatchNorm statistics are 0 and 1; make them distinct so a skipped buffer would show.
        var random = new Random(seed + 100);
        foreach (var (_, buffer) in model.NamedBuffers())
        {
            var span = buffer.Span;
            for (int i = 0; i < span.Length; i++) span[i] = 0.5f + (float)random.NextDouble();
        }
        return model;
    }

    internal static Dictionary<string, float[]> Snapshot(Module model) =>
        model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());

    [Fact]
    public void RoundTripThroughTheWriterRestoresEveryTensor()
    {
        using var folder = new TempFolder();
        string path = folder.File("baseline.safetensors");
        using var source = Model(seed: 1);
        SafetensorsWriter.Write(path, source.StateDict());
        using var target = Model(seed: 2);
        Assert.NotEqual(Snapshot(source)["features.0.0.weight"], Snapshot(target)["features.0.0.weight"]);

        var report = WeightsLoader.Load(target, path);

        Assert.Equal(Snapshot(source), Snapshot(target));
        Assert.Equal(source.StateDict().Keys, report.Loaded);
        Assert.Equal(0, report.Renamed);
        Assert.Empty(report.Ignored);
        Assert.Empty(report.Missing);
        Assert.Empty(report.Unexpected);
        Assert.Empty(report.SkippedHead);
        Assert.False(report.HeadSkipped);
        Assert.Equal([SafetensorsDType.F32], report.SourceDTypes);
        Assert.Equal("identity", report.KeyMapName);
        Assert.Contains("loaded 12 tensors", report.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("F16", SafetensorsDType.F16)]
    [InlineData("BF16", SafetensorsDType.BF16)]
    [InlineData("F64", SafetensorsDType.F64)]
    public void ConvertsHalfBfloatAndDoubleFiles(string dtype, SafetensorsDType expected)
    {
        using var folder = new TempFolder();
        string path = folder.File($"baseline_{dtype}.safetensors");
        using var source = Model(seed: 3);
        StateFiles.Write(path, StateFiles.State(source), dtype);
        using var target = Model(seed: 4);

        var report = WeightsLoader.Load(target, path);

        Assert.Equal([expected], report.SourceDTypes);
        var loaded = Snapshot(target);
        foreach (var (key, values) in Snapshot(source))
            Assert.Equal(StateFiles.RoundTrip(values, dtype), loaded[key]);
    }

    [Fact]
    public void IgnoresBatchNormCounters()
    {
        using var folder = new TempFolder();
        string path = folder.File("with_counters.safetensors");
        using var source = Model(seed: 5);
        StateFiles.Write(path, StateFiles.State(source), batchCounters: true);
        using var target = Model(seed: 6);

        var report = WeightsLoader.Load(target, path);

        Assert.Equal(["features.0.1.num_batches_tracked", "features.1.1.num_batches_tracked"], report.Ignored.Order());
        Assert.Equal(Snapshot(source), Snapshot(target));
    }

    [Fact]
    public void StrictModeListsEveryProblemWithBothShapesAndChangesNothing()
    {
        using var folder = new TempFolder();
        string path = folder.File("mismatch.safetensors");
        using var source = Model(seed: 7, lastChannels: 8);
        var state = StateFiles.State(source).Where(e => e.Key != "features.0.1.running_mean").ToList();
        using var extra = Tensor.Zeros(2);
        state.Add(("extra.weight", extra));
        StateFiles.Write(path, state);
        using var target = Model(seed: 8, lastChannels: 6);
        var before = Snapshot(target);

        var error = Assert.Throws<WeightsMismatchException>(() => WeightsLoader.Load(target, path));

        Assert.Equal(path, error.FilePath);
        Assert.Equal(["features.0.1.running_mean"], error.Missing);
        Assert.Equal(["extra.weight"], error.Unexpected);
        Assert.Equal(
            // Parameters first, then buffers: the order of Module.StateDict.
            ["features.1.0.weight", "features.1.1.weight", "features.1.1.bias", "classifier.weight", "features.1.1.running_mean", "features.1.1.running_var"],
            error.ShapeMismatches.Select(m => m.Key));
        var conv = error.ShapeMismatches[0];
        Assert.Equal([6, 4, 3, 3], conv.ModelShape);
        Assert.Equal([8, 4, 3, 3], conv.FileShape);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("features.0.1.running_mean", error.Message, StringComparison.Ordinal);
        Assert.Contains("extra.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("features.1.0.weight: model [6, 4, 3, 3], file [8, 4, 3, 3]", error.Message, StringComparison.Ordinal);
        Assert.Contains("classifier.weight: model [3, 6], file [3, 8]", error.Message, StringComparison.Ordinal);
        var inner = Assert.IsType<StateDictMismatchException>(error.InnerException);
        Assert.Equal(6, inner.ShapeMismatches.Count);
        Assert.Equal(before, Snapshot(target));
    }

    [Fact]
    public void NonStrictModeLoadsTheRestAndReportsKeysOnOneSide()
    {
        using var folder = new TempFolder();
        string path = folder.File("partial.safetensors");
        using var source = Model(seed: 9);
        var state = StateFiles.State(source).Where(e => e.Key != "classifier.bias").ToList();
        using var extra = Tensor.Zeros(2);
        state.Add(("extra.weight", extra));
        StateFiles.Write(path, state);
        using var target = Model(seed: 10);
        var before = Snapshot(target);

        var strict = Assert.Throws<WeightsMismatchException>(() => WeightsLoader.Load(target, path));
        Assert.Equal(["classifier.bias"], strict.Missing);
        var report = WeightsLoader.Load(target, path, new WeightsLoadOptions { Strict = false });

        Assert.Equal(["classifier.bias"], report.Missing);
        Assert.Equal(["extra.weight"], report.Unexpected);
        var after = Snapshot(target);
        Assert.Equal(before["classifier.bias"], after["classifier.bias"]);
        Assert.Equal(Snapshot(source)["classifier.weight"], after["classifier.weight"]);
    }

    [Fact]
    public void NonStrictModeStillRefusesShapeMismatches()
    {
        using var folder = new TempFolder();
        string path = folder.File("shapes.safetensors");
        using var source = Model(seed: 11, classes: 3);
        SafetensorsWriter.Write(path, source.StateDict());
        using var target = Model(seed: 12, classes: 5);

        var error = Assert.Throws<WeightsMismatchException>(() => WeightsLoader.Load(target, path, new WeightsLoadOptions { Strict = false }));

        Assert.Equal(["classifier.weight", "classifier.bias"], error.ShapeMismatches.Select(m => m.Key));
        Assert.Empty(error.Missing);
    }

    [Fact]
    public void KeyMapRenamesFileKeysBeforeMatching()
    {
        using var folder = new TempFolder();
        string path = folder.File("renamed.safetensors");
        using var source = Model(seed: 13);
        StateFiles.Write(path, StateFiles.State(source), rename: k => k.Replace("features.0.0", "stem.conv", StringComparison.Ordinal)
            .Replace("features.0.1", "stem.bn", StringComparison.Ordinal).Replace("classifier", "head.fc", StringComparison.Ordinal));
        var map = KeyMap.FromRules("test-map", [new("stem.conv", "features.0.0"), new("stem.bn", "features.0.1"), new("head.fc", "classifier")]);
        using var target = Model(seed: 14);

        var plain = Assert.Throws<WeightsMismatchException>(() => WeightsLoader.Load(target, path));
        Assert.Contains("stem.conv.weight", plain.Unexpected);
        var report = WeightsLoader.Load(target, path, new WeightsLoadOptions { KeyMap = map });

        Assert.Equal(Snapshot(source), Snapshot(target));
        Assert.Equal(1 + 4 + 2, report.Renamed);
        Assert.Equal("test-map", report.KeyMapName);
    }

    [Fact]
    public void HintsAtAKeyMapWhenNothingMatches()
    {
        using var folder = new TempFolder();
        string path = folder.File("timm_named.safetensors");
        using var source = Model(seed: 15);
        StateFiles.Write(path, StateFiles.State(source), rename: k => "model." + k);
        using var target = Model(seed: 16);

        var error = Assert.Throws<WeightsMismatchException>(() => WeightsLoader.Load(target, path));

        Assert.Contains("No key matched", error.Message, StringComparison.Ordinal);
        Assert.Contains("KeyMap", error.Message, StringComparison.Ordinal);
        Assert.Equal(12, error.Missing.Count);
        Assert.Equal(12, error.Unexpected.Count);
    }

    [Fact]
    public void MissingFileRaisesFileNotFound()
    {
        using var folder = new TempFolder();
        using var target = Model(seed: 17);
        Assert.Throws<FileNotFoundException>(() => WeightsLoader.Load(target, folder.File("absent.safetensors")));
    }

    [Fact]
    public void ARealSafetensorsFileWhoseLengthStartsWith0x80IsNotTakenForPickle()
    {
        using var folder = new TempFolder();
        // Header length 0x280 = 640 makes the file start with 80 02, pickle protocol 2's opening bytes.
        string json = "{\"classifier.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}";
        string header = json + new string(' ', 640 - json.Length);
        string path = folder.Write("odd.safetensors", RawSafetensors.Build(Encoding.UTF8.GetBytes(header), RawSafetensors.F32(1, 2, 3)));
        Assert.Equal(0x80, File.ReadAllBytes(path)[0]);
        using var target = Model(seed: 18);

        var report = WeightsLoader.Load(target, path, new WeightsLoadOptions { Strict = false });

        Assert.Equal(["classifier.bias"], report.Loaded);
        Assert.Equal([1f, 2f, 3f], target.Classifier.StateDict()["bias"].ToArray());
    }
}
