using System.Text.Json;

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
        Assert.Equal(2, run.ErrorLines.Count(l => l.StartsWith("epoch 1:", StringComparison.Ordinal)));
        Assert.Contains("baseline: validation accuracy", run.Error);
    }
}
