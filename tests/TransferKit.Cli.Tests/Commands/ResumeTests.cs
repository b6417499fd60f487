using TransferKit.Weights;

namespace TransferKit.Cli.Tests.Commands;

/// <summary><c>train --checkpoints DIR --resume</c> continues an interrupted run to the weights an uninterrupted one ends with.</summary>
[Collection(CliCollection.Name)]
public sealed class ResumeTests(CliFixture fixture)
{
    [Theory]
    [InlineData("plain", new string[0])]
    [InlineData("fine-tune", new[] { "--fine-tune", "3", "--unfreeze", "last:1" })]
    public async Task AnInterruptedRunResumed_EndsWithTheUninterruptedRunsWeights(string name, string[] more)
    {
        string whole = fixture.PathFor($"{name}-whole.safetensors"), resumed = fixture.PathFor($"{name}-resumed.safetensors");
        int epochs = more.Length == 0 ? 3 : 1;

        var uninterrupted = (await CliRun.RunAsync(CliFixture.TinyTrainArguments(fixture.DataDirectory, whole, epochs,
            [.. more, "--checkpoints", fixture.PathFor($"{name}-whole-ckpt")]))).AssertSuccess();

        string checkpoints = fixture.PathFor($"{name}-ckpt");
        using (var cancel = new CancellationTokenSource())
        {
            // Ctrl+C once the second epoch's line appears: the first epoch's checkpoint is on disk by then.
            using var error = new CancellingWriter("epoch 2/", cancel);
            var interrupted = await CliRun.RunAsync(cancel.Token, error, CliFixture.TinyTrainArguments(fixture.DataDirectory, resumed, epochs,
                [.. more, "--checkpoints", checkpoints]));
            Assert.Equal(130, interrupted.ExitCode);
        }

        Assert.False(File.Exists(resumed));
        var run = (await CliRun.RunAsync(CliFixture.TinyTrainArguments(fixture.DataDirectory, resumed, epochs,
            [.. more, "--checkpoints", checkpoints, "--resume"]))).AssertSuccess();

        Assert.Contains("resuming", run.Error);
        // Only the epochs after the checkpoint train again (training from the start would end with the same weights too).
        static int EpochLines(CliRun r) => r.ErrorLines.Count(l => l.StartsWith("epoch ", StringComparison.Ordinal));
        Assert.InRange(EpochLines(run), 1, EpochLines(uninterrupted) - 1);
        AssertSameTensors(whole, resumed);
    }

    [Fact]
    public async Task Resume_WithoutCheckpoints_IsAUsageError_AndAnEmptyFolderAFailureNamingIt()
    {
        string output = fixture.PathFor("never-resumed.safetensors");
        string empty = fixture.PathFor("empty-ckpt");
        Directory.CreateDirectory(empty);

        var noFolder = (await CliRun.RunAsync(CliFixture.TinyTrainArguments(fixture.DataDirectory, output, "--resume"))).AssertOneLineError(2);
        var run = await CliRun.RunAsync(CliFixture.TinyTrainArguments(fixture.DataDirectory, output, "--checkpoints", empty, "--resume"));

        Assert.StartsWith("--resume continues from the checkpoints", noFolder);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"transferkit: error: {empty}: holds no checkpoint", run.ErrorLines[^1]);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Resume_WithAnotherLearningRateOrFreeze_IsRefusedNamingBoth_AndTrainsNothing()
    {
        string output = fixture.PathFor("changed.safetensors"), checkpoints = fixture.PathFor("changed-ckpt");
        (await CliRun.RunAsync(CliFixture.TinyTrainArguments(fixture.DataDirectory, output, 1, "--checkpoints", checkpoints, "--freeze", "1"))).AssertSuccess();
        File.Delete(output);

        string[] args = CliFixture.TinyTrainArguments(fixture.DataDirectory, output, 2, "--checkpoints", checkpoints, "--resume", "--freeze", "none");
        args[Array.IndexOf(args, "--lr") + 1] = "0.01";
        var run = await CliRun.RunAsync(args);

        Assert.True(run.ExitCode == 1, run.Error);
        string error = run.ErrorLines[^1];
        Assert.StartsWith("transferkit: error: ", error);
        Assert.Contains("learning rate (TrainingOptions.LearningRate): 0.003 in the checkpoint, 0.01 requested", error);
        Assert.Contains("frozen units (the freeze depth): 1 of 2 in the checkpoint, 0 of 2 requested", error);
        Assert.DoesNotContain(run.ErrorLines, l => l.StartsWith("epoch ", StringComparison.Ordinal));
        Assert.False(File.Exists(output));
    }

    private static void AssertSameTensors(string expectedPath, string actualPath)
    {
        using var expected = SafetensorsFile.Open(expectedPath);
        using var actual = SafetensorsFile.Open(actualPath);
        Assert.Equal(expected.Tensors.Select(t => t.Name).Order(), actual.Tensors.Select(t => t.Name).Order());
        foreach (var info in expected.Tensors.Where(t => t.DType == SafetensorsDType.F32))
        {
            var a = new float[info.ElementCount];
            var b = new float[info.ElementCount];
            expected.ReadInto(info.Name, a);
            actual.ReadInto(info.Name, b);
            Assert.True(a.AsSpan().SequenceEqual(b), $"{info.Name} differs");
        }
    }
}
