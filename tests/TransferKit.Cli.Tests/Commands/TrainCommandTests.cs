using TransferKit.Api;
using TransferKit.Models;
using TransferKit.Training.Checkpoints;
using TransferKit.Weights;

namespace TransferKit.Cli.Tests.Commands;

[Collection(CliCollection.Name)]
public sealed class TrainCommandTests(CliFixture fixture)
{
    [Fact]
    public void Train_SavesALoadableModelAndPrintsTheValidationReport()
    {
        var run = fixture.Train.AssertSuccess();

        Assert.Contains("from scratch", run.Error);
        Assert.Contains("epoch 1/2: train loss", run.Error);
        Assert.Contains("epoch 2/2: train loss", run.Error);
        // Standard error is not a terminal here: plain lines, no escape codes.
        Assert.DoesNotContain("\u001b", run.Error, StringComparison.Ordinal);
        Assert.Contains("20 images in 2 classes (10 cat, 10 dog)", run.Error);
        Assert.Contains($"saved {fixture.ModelPath}", run.Out);
        // 25% held out, stratified: round(7.5) = 8 of each class's 10 train, 2 validate.
        Assert.Contains("validation (4 images held out)", run.Out);
        Assert.Contains("accuracy", run.Out);
        Assert.DoesNotContain("epoch", run.Out);
        using var model = TrainedModel.Load(fixture.ModelPath);
        Assert.Equal(["cat", "dog"], model.ClassNames);
        Assert.Equal(NetworkBlueprint.BaselineCnnName, model.Metadata.Network.Architecture);
        Assert.Equal([8, 16], model.Metadata.Network.BaselineChannels);
        Assert.Equal(CliFixture.ImageSize, model.Metadata.Preprocessing.InputSize);
    }

    [Fact]
    public async Task Train_WithHeadOptionsAndFineTuning_RunsBothPhases()
    {
        string output = fixture.PathFor("finetuned.safetensors");
        string report = fixture.PathFor(Path.Combine("reports", "report.html"));

        var run = (await CliRun.RunAsync(CliFixture.TinyTrainArguments(fixture.DataDirectory, output,
            "--head", "16", "--batchnorm", "--dropout", "0.25", "--fine-tune", "1", "--unfreeze", "last:1", "--fraction", "0.6", "--report", report))).AssertSuccess();

        Assert.Contains("[BN, Linear 16, ReLU, Dropout 0.25]", run.Error);
        Assert.Contains("12 images in 2 classes (6 cat, 6 dog)", run.Error);
        // Two epochs with the backbone frozen, then one with the last unit training: three epoch lines in all.
        Assert.Equal(3, run.ErrorLines.Count(l => l.StartsWith("epoch ", StringComparison.Ordinal)));
        using var model = TrainedModel.Load(output);
        Assert.Equal(16, model.Metadata.Network.Head!.HiddenLayers.Single().Units);
        // The report covers both phases on one page, in a folder the command created.
        Assert.Contains($"report: {report}", run.Error);
        string html = File.ReadAllText(report);
        Assert.Contains("phase 1: frozen backbone", html);
        Assert.Contains("phase 2: unfrozen", html);
        Assert.Contains("<svg", html);
    }

    [Fact]
    public async Task CachePrecision_ReachesTheFeatureCache()
    {
        string weights = fixture.PathFor("precision-backbone.safetensors");
        using (var net = new BaselineCnn(new BaselineCnnOptions { Channels = [8, 16], Classes = 5, Seed = 3 }))
            SafetensorsWriter.Write(weights, net.StateDict());

        var run = (await CliRun.RunAsync(CliFixture.TinyTrainArguments(fixture.DataDirectory, fixture.PathFor("bf16.safetensors"),
            "--weights", weights, "--cache-precision", "bfloat16"))).AssertSuccess();
        var wrong = await CliRun.RunAsync(CliFixture.TinyTrainArguments(fixture.DataDirectory, fixture.PathFor("never.safetensors"),
            "--cache-precision", "float8"));

        Assert.Contains("feature cache: in-memory cache", run.Error);
        Assert.Contains("(BFloat16)", run.Error);
        Assert.Contains("--cache-precision", wrong.AssertOneLineError(2));
    }

    [Fact]
    public async Task Cancellation_StopsTrainingWithExitCode130AndWritesNoModel()
    {
        string output = fixture.PathFor("cancelled.safetensors");
        using var cancel = new CancellationTokenSource();
        // Cancels the moment the first epoch's log line appears, as Ctrl+C in the middle of a run would.
        using var error = new CancellingWriter("epoch 1/", cancel);

        var run = await CliRun.RunAsync(cancel.Token, error, CliFixture.TinyTrainArguments(fixture.DataDirectory, output, epochs: 50));

        Assert.Equal(130, run.ExitCode);
        Assert.Equal("transferkit: cancelled", run.ErrorLines[^1]);
        Assert.StartsWith("stopped after epoch 1/50: train loss ", run.ErrorLines[^3]);
        Assert.Contains("validation loss", run.ErrorLines[^3]);
        Assert.Equal("no checkpoints were written; give --checkpoints DIR to make a run resumable", run.ErrorLines[^2]);
        Assert.DoesNotContain("epoch 3/", run.Error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Cancellation_WithCheckpoints_NamesTheCheckpointAndTheExactResumeCommand_WhichResumes()
    {
        string output = fixture.PathFor("cancelled resumable.safetensors"), checkpoints = fixture.PathFor("cancelled-ckpt");
        string[] args = CliFixture.TinyTrainArguments(fixture.DataDirectory, output, 3, "--checkpoints", checkpoints);
        using var cancel = new CancellationTokenSource();
        using var error = new CancellingWriter("epoch 1/", cancel);

        var run = await CliRun.RunAsync(cancel.Token, error, args);

        Assert.Equal(130, run.ExitCode);
        Assert.StartsWith("stopped after epoch 1/3: ", run.ErrorLines[^4]);
        Assert.Equal($"checkpoint: {Path.Combine(checkpoints, TrainingCheckpoint.FileName(1))}", run.ErrorLines[^3]);
        string hint = run.ErrorLines[^2];
        Assert.StartsWith("to continue: transferkit train --data ", hint);
        // The output path has a space: quoted so the line pastes into a shell as it is.
        Assert.Contains($"--out '{output}'", hint);
        Assert.EndsWith($"--checkpoints {checkpoints} --resume", hint);
        var resumed = (await CliRun.RunAsync([.. args, "--resume"])).AssertSuccess();
        Assert.Contains("resuming from", resumed.Error);
        Assert.True(File.Exists(output));
    }

    [Fact]
    public async Task WeightsFromAUrl_ComeThroughTheVerifiedCache_AndTheBackboneIsFrozen()
    {
        string source = fixture.PathFor("backbone.safetensors");
        using (var net = new BaselineCnn(new BaselineCnnOptions { Channels = [8, 16], Classes = 5, Seed = 3 }))
            SafetensorsWriter.Write(source, net.StateDict());
        string output = fixture.PathFor("transferred.safetensors");

        CliRun run, unverified, wrong;
        // Offline, with the file already where the cache keeps it: the URL path runs without a network.
        using (var cache = new OfflineWeightsCache(fixture.PathFor("cache")))
        {
            var (url, sha) = cache.Serve(source, "backbone.safetensors");
            run = await CliRun.RunAsync(CliFixture.TinyTrainArguments(fixture.DataDirectory, output, "--weights", url.ToString(), "--weights-sha256", sha));
            unverified = await CliRun.RunAsync(CliFixture.TinyTrainArguments(fixture.DataDirectory, output, "--weights", url.ToString()));
            wrong = await CliRun.RunAsync(CliFixture.TinyTrainArguments(fixture.DataDirectory, output, "--weights", url.ToString(), "--weights-sha256", new string('0', 64)));
        }

        run.AssertSuccess();
        Assert.Contains("SHA-256 verified", run.Error);
        Assert.Contains("network: baseline, 2 of 2 units frozen", run.Error);
        Assert.Contains("caching the frozen units' output", run.Error);
        Assert.DoesNotContain("from scratch", run.Error);
        Assert.StartsWith("--weights with a URL needs --weights-sha256", unverified.AssertOneLineError(2));
        Assert.Contains("offline mode is on", wrong.AssertOneLineError(1));
    }
}
