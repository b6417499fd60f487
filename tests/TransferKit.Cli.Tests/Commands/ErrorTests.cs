using TransferKit.Models;
using TransferKit.Weights;

namespace TransferKit.Cli.Tests.Commands;

/// <summary>Every failure is one line on standard error with the right exit code, and no stack trace unless asked.</summary>
[Collection(CliCollection.Name)]
public sealed class ErrorTests(CliFixture fixture)
{
    [Fact]
    public async Task MissingDataFolder_IsAFailureNamingTheFolder()
    {
        string missing = Path.Combine(fixture.Root, "no-such-folder");

        var message = (await CliRun.RunAsync(CliFixture.TinyTrainArguments(missing, fixture.PathFor("x.safetensors")))).AssertOneLineError(1);

        Assert.Equal($"{missing}: image folder does not exist", message);
    }

    [Fact]
    public async Task WeightsOfAnotherNetwork_FailNamingTheFile_AndSayWhatTheyFit()
    {
        string weights = fixture.PathFor("wider.safetensors");
        using (var net = new BaselineCnn(new BaselineCnnOptions { Channels = [8, 32], Classes = 2, Seed = 3 }))
            SafetensorsWriter.Write(weights, net.StateDict());

        var run = await CliRun.RunAsync(CliFixture.TinyTrainArguments(fixture.DataDirectory, fixture.PathFor("never.safetensors"), "--weights", weights));

        // The data folder's summary line comes first: the weights are checked against the network when it is built.
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("data: ", run.ErrorLines[0]);
        string message = Assert.Single(run.ErrorLines, l => l.StartsWith("transferkit: error: ", StringComparison.Ordinal))["transferkit: error: ".Length..];
        Assert.StartsWith($"{weights}: the weights do not fit the architecture", message);
        Assert.EndsWith("The file fits no catalog architecture.", message);
        Assert.False(File.Exists(fixture.PathFor("never.safetensors")));
    }

    [Fact]
    public async Task CorruptModelFile_IsAFailureNamingTheFileAndTheReason()
    {
        string corrupt = fixture.PathFor("corrupt.safetensors");
        var bytes = File.ReadAllBytes(fixture.ModelPath);
        bytes[^3] ^= 0x40; // a bit of the last tensor's data, past the header
        File.WriteAllBytes(corrupt, bytes);

        var message = (await CliRun.RunAsync("evaluate", "--model", corrupt, "--data", fixture.DataDirectory)).AssertOneLineError(1);

        Assert.Equal($"{corrupt}: its tensor data does not match the checksum written with it: the file is corrupted.", message);
    }

    [Fact]
    public async Task UnknownArchitecture_IsAUsageErrorListingTheNames()
    {
        var message = (await CliRun.RunAsync("train", "--data", fixture.DataDirectory, "--arch", "resnet9000", "--out", "x.safetensors")).AssertOneLineError(2);

        Assert.StartsWith("--arch: unknown architecture 'resnet9000'; choose one of baseline, resnet18, resnet34, resnet50", message);
        Assert.EndsWith("(see 'transferkit train --help')", message);
    }

    [Theory]
    [InlineData("sideways", "--freeze: 'sideways' is not a freeze depth; use backbone, none, N")]
    [InlineData("1.5", "--freeze: the fraction 1.5 is above 1")]
    [InlineData("7", "--freeze 7: baseline has 2 units: features.0, features.1.")]
    [InlineData("upto:layer9", "--freeze upto:layer9: no unit is called 'layer9'; baseline has 2 units")]
    public async Task BadFreezeValue_IsAUsageError(string value, string expected)
    {
        var message = (await CliRun.RunAsync(CliFixture.TinyTrainArguments(fixture.DataDirectory, fixture.PathFor("x.safetensors"), "--freeze", value))).AssertOneLineError(2);

        Assert.StartsWith(expected, message);
    }

    [Fact]
    public async Task MissingWeightsFile_IsAFailureNamingTheFile()
    {
        string missing = Path.Combine(fixture.Root, "nope.safetensors");

        var message = (await CliRun.RunAsync("train", "--data", fixture.DataDirectory, "--arch", "resnet18", "--weights", missing, "--out", "x.safetensors"))
            .AssertOneLineError(1);

        Assert.Equal($"{missing}: the weights file does not exist.", message);
    }

    [Fact]
    public async Task UnknownOptionAndMissingCommand_AreUsageErrors()
    {
        Assert.Contains("'--epoch'", (await CliRun.RunAsync("train", "--epoch", "3")).AssertOneLineError(2));
        Assert.Contains("'trian'", (await CliRun.RunAsync("trian")).AssertOneLineError(2));
        Assert.Contains("--epochs: expected a whole number of at least 1, got '0'.", (await CliRun.RunAsync("train", "--epochs", "0")).AssertOneLineError(2));
    }

    [Fact]
    public async Task Verbose_AddsTheStackTrace()
    {
        var run = await CliRun.RunAsync("inspect", Path.Combine(fixture.Root, "absent.safetensors"), "--verbose");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("transferkit: error: ", run.ErrorLines[0]);
        Assert.Contains("FileNotFoundException", run.Error);
        Assert.Contains("   at ", run.Error);
    }
}
