using System.Text.RegularExpressions;
using TransferKit.Cli.Output;
using TransferKit.Models;
using TransferKit.Training.Callbacks;
using TransferKit.Weights;

namespace TransferKit.Cli.Tests.Output;

/// <summary>The live display of <c>train</c> and <c>compare</c> on a terminal, recorded from its escape codes.</summary>
[Collection(CliCollection.Name)]
public sealed partial class TrainingDisplayTests(CliFixture fixture)
{
    private static EpochResult Epoch(int e) => new(e, 0.5, 0.75, 0.45, 0.8, 1e-3, TimeSpan.FromSeconds(2), 80);

    private static async Task<CliRun> RunInteractive(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await CliApp.RunAsync(args, output, error, interactive: true, CancellationToken.None);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task EachEpochLineIsPrintedWhileTheBarsAreLive_NotAfterTheRun()
    {
        using var error = new StringWriter();
        var display = new TrainingDisplay(new CliContext(TextWriter.Null, error, Interactive: true));
        var callback = display.Callback("resnet18");

        string during = await display.RunAsync(() =>
        {
            callback.OnTrainBegin(new TrainingStart(3, 4, 40, 10));
            callback.OnBatchEnd(new TrainingProgress(TrainingPhase.Training, 1, 3, 3, 4, 100, 0.5, 1e-3));
            callback.OnEpochEnd(Epoch(1));
            return Task.FromResult(error.ToString());
        });

        // Spectre wraps at the recorded console's 80 columns, between words.
        Assert.Contains("epoch 1/3: train loss 0.5000, accuracy 75.0%; validation loss 0.4500", during);
        Assert.Equal(1, display.LastEpoch!.Epoch);
    }

    [Fact]
    public async Task Train_OnATerminal_ShowsTheCacheFillWithCounts_TheEpochsWithRemainingTime_AndEpochLines()
    {
        string weights = fixture.PathFor("display-backbone.safetensors");
        using (var net = new BaselineCnn(new BaselineCnnOptions { Channels = [8, 16], Classes = 5, Seed = 3 }))
            SafetensorsWriter.Write(weights, net.StateDict());

        var run = (await RunInteractive(CliFixture.TinyTrainArguments(fixture.DataDirectory, fixture.PathFor("display.safetensors"), "--weights", weights)))
            .AssertSuccess();

        string screen = Plain(run.Error);
        Assert.Contains("baseline caching train 2/2", screen);
        Assert.Contains("baseline caching validation 1/1", screen);
        Assert.Contains("epoch 1/2: train loss", screen);
        Assert.Contains("epoch 2/2: train loss", screen);
        Assert.Contains("done: 2 epochs in", screen);
        // Each bar row ends with its percentage, the remaining time and the elapsed time.
        Assert.Matches(TimeColumns(), screen);
        Assert.Contains("100%", screen);
        // Standard output stays plain.
        Assert.DoesNotContain("\u001b", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_OnATerminal_GetsABarPerCandidate_AndNoColorTurnsColoursOff()
    {
        string? before = Environment.GetEnvironmentVariable("NO_COLOR");
        Environment.SetEnvironmentVariable("NO_COLOR", "1");
        CliRun run;
        try
        {
            run = (await RunInteractive("compare", "--data", fixture.DataDirectory, "--arch", "baseline", "--baseline-channels", "8,16",
                "--input-size", $"{CliFixture.ImageSize}", "--epochs", "1", "--batch-size", "8", "--seed", "1")).AssertSuccess();
        }
        finally
        {
            Environment.SetEnvironmentVariable("NO_COLOR", before);
        }

        string screen = Plain(run.Error);
        Assert.Contains("baseline epoch 1/1 loss", screen);
        Assert.Contains("epoch 1/1: train loss", screen);
        Assert.Contains("baseline: validation accuracy", screen);
        Assert.Matches(TimeColumns(), screen);
        // Cursor movement redraws the bars, but no colour (SGR) codes are written.
        Assert.DoesNotMatch(@"\u001b\[[0-9;]*3[0-9;]*m", run.Error);
    }

    [Fact]
    public void TheResumeHintQuotesWhatAShellWouldSplit()
    {
        Assert.Equal("transferkit train --data 'my pets' --out 'it'\\''s.safetensors' --resume",
            ResumeHint.Command(["train", "--data", "my pets", "--out", "it's.safetensors"]));
        Assert.Equal("transferkit train --resume --lr 1e-3", ResumeHint.Command(["train", "--resume", "--lr", "1e-3"]));
    }

    /// <summary>The text with escape sequences removed, as a person would read it on the terminal.</summary>
    private static string Plain(string recorded) => Escapes().Replace(recorded, "");

    [GeneratedRegex(@"\u001b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex Escapes();

    [GeneratedRegex(@"\d+%\s+(\d{2}:\d{2}:\d{2}|-:--:--)\s+\d{2}:\d{2}:\d{2}")]
    private static partial Regex TimeColumns();
}
