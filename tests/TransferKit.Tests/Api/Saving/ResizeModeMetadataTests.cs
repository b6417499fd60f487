using System.Text.RegularExpressions;
using TransferKit.Api;
using TransferKit.Models;
using TransferKit.Weights;

namespace TransferKit.Tests.Api.Saving;

/// <summary>Issue 11: a model file keeps its resize mode; files written before version 4 load with the centre crop.</summary>
public sealed partial class ResizeModeMetadataTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-resize-mode-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Saved(ResizeMode mode)
    {
        var (net, meta) = ModelFileTests.Trained();
        using var _ = net;
        string path = Path.Combine(_dir, $"{mode}.safetensors");
        ModelFile.Save(path, net, meta with { Preprocessing = meta.Preprocessing with { ResizeMode = mode } });
        return path;
    }

    [Theory]
    [InlineData(ResizeMode.Stretch)]
    [InlineData(ResizeMode.CenterCrop)]
    public void TheModeSurvivesSaveAndLoad(ResizeMode mode)
    {
        string path = Saved(mode);

        var (net, meta) = ModelFile.Load(path);
        using var _ = net;
        using var model = TrainedModel.Load(path);

        Assert.Equal(mode, meta.Preprocessing.ResizeMode);
        Assert.Equal(mode, model.Metadata.Preprocessing.ResizeMode);
        Assert.Equal(ModelMetadata.CurrentVersion, meta.Version);
        Assert.Equal(4, ModelMetadata.CurrentVersion);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void AnOlderFileWithoutTheFieldLoadsAsCentreCrop(int version)
    {
        string path = Saved(ResizeMode.CenterCrop);
        string old = ModelFileIntegrityTests.Resealed(_dir, path,
            json => ResizeModeField().Replace(json, "").Replace("\"version\":4", $"\"version\":{version}", StringComparison.Ordinal),
            seal: version >= 2);

        var (net, meta) = ModelFile.Load(old);
        using var _ = net;

        Assert.Equal(version, meta.Version);
        Assert.Equal(ResizeMode.CenterCrop, meta.Preprocessing.ResizeMode);
    }

    [Fact]
    public void AStretchInAVersion3FileIsRefusedByField()
    {
        string path = Saved(ResizeMode.Stretch);
        string old = ModelFileIntegrityTests.Resealed(_dir, path, json => json.Replace("\"version\":4", "\"version\":3", StringComparison.Ordinal));

        var error = Assert.Throws<ModelFileException>(() => ModelFile.Load(old));

        Assert.Contains("preprocessing.resizeMode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheJsonSpellsTheModeInCamelCase()
    {
        string path = Saved(ResizeMode.Stretch);
        using var file = SafetensorsFile.Open(path);
        Assert.Contains("\"resizeMode\":\"stretch\"", file.Metadata["transferkit"], StringComparison.Ordinal);
    }

    /// <summary>The field with the comma that joins it to a neighbour, wherever the serializer put it.</summary>
    [GeneratedRegex("(,\"resizeMode\":\"centerCrop\")|(\"resizeMode\":\"centerCrop\",)")]
    private static partial Regex ResizeModeField();
}
