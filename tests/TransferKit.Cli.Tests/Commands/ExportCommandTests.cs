using System.Text.Json;
using TransferKit.Weights.Onnx;

namespace TransferKit.Cli.Tests.Commands;

[Collection(CliCollection.Name)]
public sealed class ExportCommandTests(CliFixture fixture)
{
    [Fact]
    public async Task WritesTheOnnxFileAndSaysWhatItWrote()
    {
        string onnx = fixture.PathFor("model.onnx");
        var run = (await CliRun.RunAsync("export", "--model", fixture.ModelPath, "--onnx", onnx)).AssertSuccess();

        Assert.Contains($"{Path.GetFullPath(onnx)}:", run.Out);
        Assert.Contains("opset 13", run.Out);
        Assert.Contains($"input: input float32 [batch, 3, {CliFixture.ImageSize}, {CliFixture.ImageSize}], RGB 0-255", run.Out);
        Assert.Contains("outputs: probabilities, logits over 2 classes: cat, dog", run.Out);
        var model = OnnxModel.Load(onnx);
        Assert.Equal(13, model.Opset);
        Assert.Equal(["cat", "dog"], JsonSerializer.Deserialize<string[]>(model.Metadata["transferkit.class_names"])!);
        Assert.Equal("rgb_0_255", model.Metadata["transferkit.input"]);
        Assert.Equal("input", Assert.Single(model.Graph.Inputs).Name);
        Assert.Null(model.Graph.Inputs[0].Dims[0]);
        Assert.Equal(["probabilities", "logits"], model.Graph.Outputs.Select(o => o.Name));
    }

    [Fact]
    public async Task OpsetAndNormalisedInputAreHonoured()
    {
        string onnx = fixture.PathFor("normalized.onnx");
        var run = (await CliRun.RunAsync("export", "--model", fixture.ModelPath, "--onnx", onnx, "--opset", "17", "--normalized-input")).AssertSuccess();
        Assert.Contains("opset 17", run.Out);
        Assert.Contains("normalised;", run.Out);
        var model = OnnxModel.Load(onnx);
        Assert.Equal(17, model.Opset);
        Assert.Equal("normalized", model.Metadata["transferkit.input"]);
        // Without normalisation the graph starts at the first convolution.
        Assert.Equal("Conv", model.Graph.Nodes[0].OpType);
    }

    [Fact]
    public async Task AnOpsetOutOfRangeIsAUsageErrorAndAMissingFolderAFailure()
    {
        var usage = await CliRun.RunAsync("export", "--model", fixture.ModelPath, "--onnx", fixture.PathFor("x.onnx"), "--opset", "12");
        Assert.Contains("--opset", usage.AssertOneLineError(2));

        string missing = Path.Combine(fixture.PathFor("missing"), "model.onnx");
        var failure = await CliRun.RunAsync("export", "--model", fixture.ModelPath, "--onnx", missing);
        Assert.Contains("ONNX export to", failure.AssertOneLineError(1));
        Assert.False(File.Exists(missing));
    }
}
