using TransferKit.Models;
using TransferKit.Tensors;
using TransferKit.Weights;

namespace TransferKit.Cli.Tests.Commands;

[Collection(CliCollection.Name)]
public sealed class InspectCommandTests(CliFixture fixture)
{
    [Fact]
    public async Task AModelFile_ShowsItsTensorsAndMetadata()
    {
        var run = (await CliRun.RunAsync("inspect", fixture.ModelPath)).AssertSuccess();

        Assert.Contains("features.0.0.weight", run.Out);
        Assert.Contains("[8, 3, 3, 3]", run.Out);
        Assert.Contains("F32", run.Out);
        Assert.Contains("TransferKit model", run.Out);
        Assert.Contains("architecture   baseline_cnn (channels 8,16)", run.Out);
        Assert.Contains("classes        2: cat, dog", run.Out);
        Assert.Contains($"{CliFixture.ImageSize} px", run.Out);
        Assert.Contains("fits: no catalog architecture", run.Out);
    }

    [Fact]
    public async Task WeightsWithResNet18Keys_AreRecognised_WithTheHeadExactOrReplaced()
    {
        string full = fixture.PathFor("resnet18.safetensors");
        string replaced = fixture.PathFor("resnet18-3-classes.safetensors");
        using (var net = Architectures.ResNet18.Create(1000, 0))
        {
            var state = net.StateDict();
            SafetensorsWriter.Write(full, state);
            // Another head: three classes instead of ImageNet's thousand, as a fine-tuned checkpoint has.
            using var fc = Tensor.Zeros(3, 512);
            using var bias = Tensor.Zeros(3);
            SafetensorsWriter.Write(replaced, state.Select(kv => kv.Key switch
            {
                "fc.weight" => new KeyValuePair<string, Tensor>(kv.Key, fc),
                "fc.bias" => new KeyValuePair<string, Tensor>(kv.Key, bias),
                _ => kv,
            }));
        }

        var exact = (await CliRun.RunAsync("inspect", full, "--summary")).AssertSuccess();
        var other = (await CliRun.RunAsync("inspect", replaced, "--summary")).AssertSuccess();

        Assert.Contains("parameters: 11,689,512 (and 9,600 BatchNorm running statistics)", exact.Out);
        Assert.Equal("fits: resnet18: every tensor, with its ImageNet head 'fc' (1000 classes)", exact.Out.Split('\n')[^2]);
        Assert.DoesNotContain("layer1.0.conv1.weight", exact.Out); // --summary leaves the tensor list out
        Assert.Contains("fits: resnet18: the backbone; the head 'fc' is replaced: fc.bias [3], fc.weight [3, 512]", other.Out);
        Assert.DoesNotContain("resnet34", other.Out);
    }

    [Fact]
    public async Task ACorruptHeader_IsAOneLineError()
    {
        string broken = fixture.PathFor("broken.safetensors");
        File.WriteAllBytes(broken, [200, 0, 0, 0, 0, 0, 0, 0, (byte)'{']);

        var message = (await CliRun.RunAsync("inspect", broken)).AssertOneLineError(1);

        Assert.StartsWith(broken, message);
    }
}
