using System.Text.Json;
using TransferKit.Models;
using TransferKit.Weights;

namespace TransferKit.Cli.Tests.Commands;

[Collection(CliCollection.Name)]
public sealed class CompareCommandTests(CliFixture fixture)
{
    [Fact]
    public async Task TwoCandidates_AreRankedOnOneSplit()
    {
        var run = (await CliRun.RunAsync("compare", "--data", fixture.DataDirectory, "--arch", "baseline,resnet18", "--input-size", "32",
            "--epochs", "1", "--batch-size", "8", "--baseline-channels", "8,16", "--validation-fraction", "0.25", "--json")).AssertSuccess();

        using var json = JsonDocument.Parse(run.Out);
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["baseline", "resnet18"], rows.Select(r => r.GetProperty("name").GetString()).Order());
        Assert.True(rows[0].GetProperty("validationAccuracy").GetDouble() >= rows[1].GetProperty("validationAccuracy").GetDouble());
        var resnet = rows.Single(r => r.GetProperty("name").GetString() == "resnet18");
        // From scratch, every parameter trains: resnet18 without its head plus a 2-class fc.
        Assert.Equal(11_176_512 + 512 * 2 + 2, resnet.GetProperty("trainableParameters").GetInt64());
        Assert.Contains("split: 16 training and 4 validation images", run.Error);
        Assert.Contains("resnet18 (from scratch):", run.Error);
        Assert.Equal(2, run.ErrorLines.Count(l => l.StartsWith("epoch 1/", StringComparison.Ordinal)));
        Assert.Contains("baseline: validation accuracy", run.Error);
    }

    [Fact]
    public async Task WeightsFromAUrl_ComeThroughTheVerifiedCache_AndFreezeTheBackbone()
    {
        string source = fixture.PathFor("compare-mnv2.safetensors");
        using (var net = Architectures.MobileNetV2.CreateImageNet())
            SafetensorsWriter.Write(source, net.StateDict());
        string[] Arguments(params string[] weights) =>
            ["compare", "--data", fixture.DataDirectory, "--arch", "mobilenet_v2", "--input-size", "32", "--epochs", "1", "--batch-size", "8",
             "--validation-fraction", "0.25", "--json", .. weights];

        CliRun run, unverified, stray;
        using (var cache = new OfflineWeightsCache(fixture.PathFor("compare-cache")))
        {
            var (url, sha) = cache.Serve(source, "mnv2.safetensors");
            run = await CliRun.RunAsync(Arguments("--weights", $"mobilenet_v2={url}", "--weights-sha256", $"mobilenet_v2={sha}"));
            unverified = await CliRun.RunAsync(Arguments("--weights", $"mobilenet_v2={url}"));
            stray = await CliRun.RunAsync(Arguments("--weights", $"mobilenet_v2={source}", "--weights-sha256", $"mobilenet_v2={sha}"));
        }

        run.AssertSuccess();
        Assert.Contains("SHA-256 verified", run.Error);
        using var json = JsonDocument.Parse(run.Out);
        // Pre-trained, so the backbone is frozen: only the 2-class classifier trains.
        Assert.Equal(1280 * 2 + 2, Assert.Single(json.RootElement.EnumerateArray()).GetProperty("trainableParameters").GetInt64());
        Assert.StartsWith("--weights mobilenet_v2=https://weights.example.invalid/mnv2.safetensors: a URL needs --weights-sha256", unverified.AssertOneLineError(2));
        Assert.StartsWith("--weights-sha256 mobilenet_v2=...: it verifies a download", stray.AssertOneLineError(2));
    }
}
