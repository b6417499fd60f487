using System.Text.Json;

namespace TransferKit.Cli.Tests.Commands;

public sealed class ArchitecturesCommandTests
{
    [Fact]
    public async Task Table_ListsEveryArchitectureWithItsFacts()
    {
        var run = (await CliRun.RunAsync("architectures")).AssertSuccess();

        var resnet50 = run.Out.Split('\n').Single(l => l.StartsWith("resnet50 ", StringComparison.Ordinal));
        Assert.Contains("25,557,032", resnet50);
        Assert.Contains("80.858", resnet50);
        Assert.Contains("102.2", resnet50); // 25,557,032 float32 parameters are 102.2 MB
        Assert.Contains("4.09", resnet50);
        Assert.Contains("2048", resnet50);
        Assert.Contains("inception_v3", run.Out);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task Json_IsTheOnlyOutputAndHasExactCounts()
    {
        var run = (await CliRun.RunAsync("architectures", "--json")).AssertSuccess();

        using var json = JsonDocument.Parse(run.Out);
        var all = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(Models.Architectures.All.Count, all.Count);
        var resnet50 = all.Single(a => a.GetProperty("name").GetString() == "resnet50");
        Assert.Equal(25_557_032, resnet50.GetProperty("parameters").GetInt64());
        Assert.Equal(23_508_032, resnet50.GetProperty("parametersWithoutHead").GetInt64());
        Assert.Equal(224, resnet50.GetProperty("inputSize").GetInt32());
        Assert.Equal(2048, resnet50.GetProperty("featureDimension").GetInt32());
        Assert.Equal(299, all.Single(a => a.GetProperty("name").GetString() == "inception_v3").GetProperty("inputSize").GetInt32());
    }
}
