namespace TransferKit.Cli.Tests.Commands;

/// <summary>inspect and --weights take PyTorch checkpoints, read without running pickle, and refuse hostile ones in one line.</summary>
[Collection(CliCollection.Name)]
public sealed class PthWeightsTests(CliFixture fixture)
{
    private static string Checkpoint(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    [Fact]
    public async Task Inspect_ReadsATrainingCheckpoint_AndSaysWhereTheStateDictIs()
    {
        var run = (await CliRun.RunAsync("inspect", Checkpoint("baseline_nested.pth"))).AssertSuccess();

        Assert.Contains("features.0.0.weight", run.Out);
        Assert.Contains("[4, 3, 3, 3]", run.Out);
        Assert.Contains("parameters: 447 (and 26 BatchNorm running statistics)", run.Out);
        Assert.Contains("the state_dict is the entry 'state_dict'", run.Out);
        Assert.Contains("fits: no catalog architecture", run.Out);
    }

    [Fact]
    public async Task Inspect_RefusesAHostileCheckpoint_NamingTheGlobal()
    {
        string path = Checkpoint("hostile_os_system.pth");
        var message = (await CliRun.RunAsync("inspect", path)).AssertOneLineError(1);

        Assert.StartsWith($"{path}: ", message);
        Assert.Contains("'posix.system'", message);
    }

    [Fact]
    public async Task Inspect_RefusesALegacyCheckpoint_WithTheConversion()
    {
        var message = (await CliRun.RunAsync("inspect", Checkpoint("legacy.pth"))).AssertOneLineError(1);
        Assert.Contains("torch.save(torch.load('legacy.pth'), 'legacy.zip.pth')", message);
    }

    /// <summary>The one error line of a tiny training run from <paramref name="weights"/>, which must fail with exit code 1.</summary>
    private async Task<string> TrainError(string weights, string output)
    {
        var run = await CliRun.RunAsync(CliFixture.TinyTrainArguments(fixture.DataDirectory, fixture.PathFor(output), "--weights", weights));
        Assert.Equal(1, run.ExitCode);
        Assert.False(File.Exists(fixture.PathFor(output)));
        return Assert.Single(run.ErrorLines, l => l.StartsWith("transferkit: error: ", StringComparison.Ordinal))["transferkit: error: ".Length..];
    }

    [Fact]
    public async Task TrainWeights_ReadsAPth_ThroughTheSameMismatchCheck()
    {
        string weights = Checkpoint("baseline_nested.pth");
        // The checkpoint holds BaselineCnn channels 4,8; the fixture trains channels 8,16, so the shapes differ.
        string message = await TrainError(weights, "never-pth.safetensors");

        Assert.StartsWith($"{weights}: the weights do not fit the architecture", message);
        Assert.Contains("features.0.0.weight", message);
    }

    [Fact]
    public async Task TrainWeights_RefusesAHostilePth()
    {
        string weights = Checkpoint("hostile_os_system.pth");
        string message = await TrainError(weights, "never-hostile.safetensors");

        Assert.StartsWith($"{weights}: ", message);
        Assert.Contains("'posix.system'", message);
    }
}
