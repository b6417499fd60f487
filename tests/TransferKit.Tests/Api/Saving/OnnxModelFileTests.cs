using System.Buffers.Binary;
using System.Text;
using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;
using TransferKit.Data.Synthetic;
using TransferKit.Models.Onnx;
using TransferKit.Tests.Models.Onnx;
using TransferKit.Training.Freezing;

namespace TransferKit.Tests.Api.Saving;

/// <summary>A model trained on an imported ONNX backbone saves and loads without its .onnx file, checked like every model file.</summary>
public sealed class OnnxModelFileTests : IDisposable
{
    private const int Size = 24;
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-onnx-model-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static InMemoryImageDataset Task() => SyntheticTasks.Render(SyntheticImageTask.CatsAndDogs, perClass: 4, Size, seed: 9);

    private static DecodedImage[] Images(InMemoryImageDataset data) => Enumerable.Range(0, data.Count).Select(i => data.Decode(i)).ToArray();

    private static float[] Scores(TrainedModel model, DecodedImage[] images) => model.Predict(images).SelectMany(p => p.Scores).ToArray();

    /// <summary>Fits the residual fixture (its second block and head trainable) for two epochs, saves it from a copy of the .onnx that is then deleted.</summary>
    private async Task<(string Path, float[] Scores, DecodedImage[] Images)> TrainedAndSaved()
    {
        string onnx = Path.Combine(_dir, "residual.onnx");
        File.Copy(Path.Combine(OnnxRuntimeOracle.FixtureFolder, "residual.onnx"), onnx);
        var data = Task();
        var images = Images(data);
        string path = Path.Combine(_dir, "model.safetensors");
        float[] scores;
        using (var trainer = ImageClassifier.Create().UseOnnxBackbone(onnx).Freeze(FreezeDepth.FirstUnits(2)).WithInputSize(Size)
                   .WithTraining(o => { o.Epochs = 2; o.BatchSize = 4; o.Seed = 2; }).Build())
        {
            await trainer.FitAsync(data);
            trainer.Model.Save(path);
            scores = Scores(trainer.Model, images);
        }
        File.Delete(onnx);
        return (path, scores, images);
    }

    [Fact]
    public async Task AModelTrainedOnAnOnnxBackbone_LoadsWithoutTheOnnxFileAndPredictsIdentically()
    {
        var (path, scores, images) = await TrainedAndSaved();
        using var loaded = TrainedModel.Load(path);
        Assert.IsType<OnnxBackbone>(loaded.Network);
        Assert.Equal(NetworkBlueprint.OnnxName, loaded.Metadata.Network.Architecture);
        Assert.Equal(ModelMetadata.CurrentVersion, loaded.Metadata.Version);
        Assert.Equal(scores, Scores(loaded, images));
        // Prediction runs the graph's convolutions fused, as long as the model lives.
        var graph = ((OnnxBackbone)loaded.Network).Graph;
        Assert.True(graph.FusionEnabled);
        Assert.True(graph.FusedConvolutionCount > 0);
        Assert.Equal(["stem", "block1", "block2"], loaded.Network.Units.Select(u => u.Name));
        // The weights are the file's tensors, not a second copy in the metadata.
        Assert.All(loaded.Metadata.Network.Onnx!.Graph.Initializers.Values.Where(t => t.Dims.Length == 4), t => Assert.Null(t.Floats));
    }

    /// <summary>One bit of every byte of the metadata's ONNX graph flipped in turn (every bit with TRANSFERKIT_FLIP_EVERY_HEADER_BIT=1).</summary>
    [Fact]
    public async Task BitFlipsInTheEmbeddedGraph_FailTheLoad()
    {
        var (path, scores, images) = await TrainedAndSaved();
        byte[] original = File.ReadAllBytes(path);
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(original);
        string header = Encoding.UTF8.GetString(original, 0, headerEnd);
        int start = header.IndexOf("\\\"onnx\\\":", StringComparison.Ordinal);
        int end = header.IndexOf("\\\"classes\\\":", start, StringComparison.Ordinal);
        Assert.True(start > 0 && end > start);
        bool everyBit = Environment.GetEnvironmentVariable("TRANSFERKIT_FLIP_EVERY_HEADER_BIT") == "1";
        string target = Path.Combine(_dir, "flipped.safetensors");
        for (int i = start; i < end; i++)
        {
            for (int bit = everyBit ? 0 : i % 8; bit < (everyBit ? 8 : (i % 8) + 1); bit++)
            {
                byte[] copy = (byte[])original.Clone();
                copy[i] ^= (byte)(1 << bit);
                File.WriteAllBytes(target, copy);
                try
                {
                    using var loaded = TrainedModel.Load(target);
                    Assert.Equal(scores, Scores(loaded, images));
                    Assert.Fail($"a flip of bit {bit} at byte {i} loaded");
                }
                catch (ModelFileException)
                {
                }
            }
        }
    }

    public static TheoryData<string, string, string> DamagedGraphs => new()
    {
        { "\"opType\":\"Conv\"", "\"opType\":\"Convolve\"", "network.onnx" },
        { "\"outputs\":[\"", "\"outputs\":[\"renamed", "network.onnx" },
        { "\"featureOutput\":\"", "\"featureOutput\":\"x", "network.onnx" },
        { "\"featureOutput\":\"", "\"featureOutput\":\"\",\"x\":\"", "network.onnx.featureOutput" },
        { "\"inputSize\":24},\"classes\"", "\"inputSize\":0},\"classes\"", "network.onnx.inputSize" },
        { "\"dims\":[", "\"dims\":[4000000000,", "network.onnx.graph.initializers" },
        { "\"dims\":[", "\"dims\":[-1,", "network.onnx.graph.initializers" },
        { "\"nodes\":[", "\"nodes\":[null,", "network.onnx.graph.nodes[0]" },
        { "\"nodes\":[{", "\"nodes\":[{\"x\":1},{", "JSON" },
        { "\"architecture\":\"onnx\"", "\"architecture\":\"resnet18\"", "network.onnx" },
        { "\"version\":4", "\"version\":2", "network.onnx" },
    };

    [Theory]
    [MemberData(nameof(DamagedGraphs))]
    public async Task ADamagedEmbeddedGraph_GivesModelFileExceptionNamingTheField(string find, string replace, string field)
    {
        var (path, _, _) = await TrainedAndSaved();
        string edited = ModelFileIntegrityTests.Resealed(_dir, path, json =>
        {
            int at = json.IndexOf(find, StringComparison.Ordinal);
            Assert.True(at >= 0, find);
            return json[..at] + replace + json[(at + find.Length)..];
        });
        var e = Assert.Throws<ModelFileException>(() => TrainedModel.Load(edited));
        Assert.Contains(field, e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Path.GetFileName(edited), e.Message, StringComparison.Ordinal);
    }
}
