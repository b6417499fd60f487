using System.CommandLine;
using TransferKit.Api;
using TransferKit.Cli.Data;
using TransferKit.Cli.Output;
using TransferKit.Cli.Parsing;
using TransferKit.Data.Datasets;
using TransferKit.Training.Callbacks;
using TransferKit.Training.Checkpoints;

namespace TransferKit.Cli.Commands;

/// <summary><c>transferkit train</c>: trains a classifier on a folder of images, saves it, and prints the validation report.</summary>
internal static class TrainCommand
{
    private const string Summary = "Train a classifier on a folder of images, save it, and print the validation report.";

    private const string Details = """
        --data is a folder with one subfolder per class (PetImages/Cat, PetImages/Dog), a flat folder of class-prefixed
        files (train/cat.1.jpg, train/dog.1.jpg), or a Kaggle root holding train/. With --weights (a torchvision-named
        .safetensors file or PyTorch .pth/.pt checkpoint, or a URL with --weights-sha256) the backbone starts pre-trained and is frozen unless --freeze
        says otherwise; without it the network trains from scratch. An .onnx model, or a named backbone such as
        mlnet-resnet18 (ML.NET's ImageNet ResNet-18, from the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18),
        is the backbone itself with its weights and preprocessing: --arch is then left out. Training warns when frozen
        units hold random weights or the frozen features are all but zero. Progress goes to standard error; the report to
        standard output; on a terminal, bars show the feature caching and the epochs with the time remaining, and each
        epoch's line prints as it ends (NO_COLOR turns colours off). --checkpoints writes a checkpoint after every epoch;
        after a crash or Ctrl+C (which prints the last epoch, the checkpoint and the command to continue), the same
        command with --resume continues from the latest one and ends with the weights an uninterrupted run would have.
        A resume continues the same run: a changed --lr, --freeze, --seed, --batch-size or --optimizer is refused with
        an error naming each difference.

        Examples:
          transferkit train --data PetImages --arch mobilenet_v2 --weights mobilenet_v2.safetensors --out pets.safetensors
          transferkit train --data PetImages --weights mlnet-resnet18 --out pets.safetensors
          transferkit train --data PetImages --weights squeezenet.onnx --out pets.safetensors
          transferkit train --data PetImages --arch resnet50 --weights resnet50.safetensors --freeze last:1 --head 256 --dropout 0.5 --lr 1e-4 --out pets.safetensors
          transferkit train --data PetImages --arch resnet18 --weights resnet18.safetensors --epochs 3 --fine-tune 5 --unfreeze last:2 --out pets.safetensors
          transferkit train --data train --arch baseline --input-size 128 --epochs 20 --augment --out scratch.safetensors
          transferkit train --data PetImages --arch resnet18 --weights resnet18.safetensors --checkpoints ckpt --resume --out pets.safetensors
          transferkit train --data PetImages --arch efficientnet_b0 --weights https://example.org/b0.safetensors --weights-sha256 <64 hex> --key-map timm --out pets.safetensors
        """;

    /// <summary>Creates the command; its action writes through <paramref name="context"/>.</summary>
    public static (Command Command, string Details) Create(CliContext context)
    {
        var o = new TrainOptions();
        var command = new Command("train", Summary);
        Option[] own = [o.Data, o.Arch, o.Weights, o.WeightsSha256, o.Out, o.Report, o.FineTune, o.Unfreeze, o.Checkpoints, o.Resume];
        foreach (var option in own) command.Options.Add(option);
        o.Training.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(context, parse, o, ct));
        return (command, Details);
    }

    private static async Task<int> RunAsync(CliContext context, ParseResult parse, TrainOptions o, CancellationToken cancellationToken)
    {
        var givenArch = parse.GetValue(o.Arch);
        var settings = o.Training.Read(parse);
        var weights = parse.GetValue(o.Weights);
        string? sha256 = parse.GetValue(o.WeightsSha256);
        string output = Path.GetFullPath(parse.GetRequiredValue(o.Out));
        int? fineTune = parse.GetValue(o.FineTune);
        var unfreeze = parse.GetValue(o.Unfreeze);
        string? checkpoints = parse.GetValue(o.Checkpoints) is { } dir ? Path.GetFullPath(dir) : null;
        bool resume = parse.GetValue(o.Resume);
        // With --arch, its mistakes are found before anything is read or downloaded; an ONNX backbone's units are known once imported.
        if (givenArch is not null) CheckCombinations(givenArch, settings, weights, sha256, fineTune, unfreeze);
        if (resume && checkpoints is null)
            throw new UsageException("--resume continues from the checkpoints of an earlier run; give their folder with --checkpoints DIR.");

        // Weights first: a missing file is found before the data folder is scanned.
        var (arch, weightsPath) = await NetworkResolver.ResolveAsync(givenArch, weights, sha256, context, cancellationToken).ConfigureAwait(false);
        if (givenArch is null) CheckCombinations(arch, settings, weights, sha256, fineTune, unfreeze);
        string dataPath = Path.GetFullPath(parse.GetRequiredValue(o.Data));
        var folder = ImageFileDataset.DetectFolder(dataPath);
        var all = folder.Dataset;
        context.Note($"data: {dataPath} ({folder.LayoutDescription}): {all.Describe()}");
        IImageDataset data = all;
        if (settings.Fraction < 1)
        {
            data = all.Sample(settings.Fraction, settings.Seed);
            context.Note(FormattableString.Invariant($"--fraction {settings.Fraction}: {data.Describe()}"));
        }

        if (weightsPath is null)
        {
            context.Note(arch.IsBaseline
                ? "training the baseline CNN from scratch (random initial weights)"
                : $"no --weights: training {arch.Name} from scratch (random initial weights); pass its ImageNet weights to transfer them");
        }

        var display = new TrainingDisplay(context);
        var builder = ClassifierSetup.Create(arch, weightsPath, settings, settings.ValidationFraction, display.Callback(arch.Name));
        if (checkpoints is not null) builder.WithTraining(t => t.CheckpointDirectory = checkpoints);
        using var trainer = ClassifierSetup.Build(builder, data.ClassNames);
        context.Note($"network: {arch.Name}, {trainer.FreezePlan.FrozenUnits} of {trainer.Network.Units.Count} units frozen, head {settings.Head.Describe(data.ClassNames.Count)}; "
            + $"{Numbers.Count(trainer.TrainableParameterCount)} of {Numbers.Count(trainer.Network.ParameterCount())} parameters train; input {trainer.Preprocessing.InputSize} px");

        TrainingResult result;
        FineTuneResult? phases = null;
        try
        {
            if (fineTune is int unfrozenEpochs)
            {
                var depth = (unfreeze ?? DefaultUnfreeze).ToFreezeDepth();
                if (resume) context.Note($"resuming the fine-tune from {checkpoints}");
                phases = await display.RunAsync(() => resume
                    ? trainer.ResumeFineTuneAsync(checkpoints!, data, null, settings.Epochs, unfrozenEpochs, depth, cancellationToken: cancellationToken)
                    : trainer.FineTuneAsync(data, null, settings.Epochs, unfrozenEpochs, depth, cancellationToken: cancellationToken)).ConfigureAwait(false);
                result = Combine(phases);
            }
            else if (resume)
            {
                var found = TrainingCheckpoint.FindLatest(checkpoints!);
                foreach (var skipped in found.Skipped) context.Warn($"skipped checkpoint {skipped.Message}");
                string latest = found.Path
                    ?? throw new CheckpointException(checkpoints!, (found.Skipped.Count == 0 ? "holds no checkpoint" : "holds no valid checkpoint")
                        + " to resume from (train once with --checkpoints and without --resume).");
                context.Note($"resuming from {latest}");
                result = await display.RunAsync(() => trainer.ResumeAsync(latest, data, null, null, cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                result = await display.RunAsync(() => trainer.FitAsync(data, null, null, cancellationToken)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            display.ReportCancelled(LatestCheckpoint(checkpoints), checkpoints is null ? null : ResumeHint.Command(context.Arguments));
            throw;
        }
        if (trainer.CacheDecision is { } cache) context.Note($"feature cache: {cache}");
        foreach (var warning in result.Warnings) context.Warn(warning.Message);
        if (trainer.BadImages is { Count: > 0 } bad)
            context.Warn($"{bad.Count} unreadable images were skipped, such as {bad.Items[0]}");

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        trainer.Model.Save(output);
        if (parse.GetValue(o.Report) is { } path)
        {
            string reportPath = Path.GetFullPath(path);
            Directory.CreateDirectory(Path.GetDirectoryName(reportPath)!);
            // A two-phase run reports both phases on one page, with the unfreezing marked.
            if (phases is not null) phases.SaveReport(reportPath);
            else result.SaveReport(reportPath);
            context.Note($"report: {reportPath}");
        }

        var stdout = context.Out;
        stdout.WriteLine($"saved {output} ({Numbers.Bytes(new FileInfo(output).Length)}): {arch.Name}, classes {string.Join(", ", trainer.ClassNames)}");
        if (trainer.ValidationReport is { } report)
        {
            stdout.WriteLine();
            stdout.WriteLine($"validation ({report.SampleCount} images held out):");
            stdout.Write(report.ToText());
        }
        else
        {
            stdout.WriteLine("no validation set (--validation-fraction 0)");
        }
        return ExitCodes.Success;
    }

    private static FreezeSpec DefaultUnfreeze => FreezeSpec.Parse("last:2");

    /// <summary>The newest checkpoint under <paramref name="folder"/>, a fine-tune's second phase before its first, or null.</summary>
    private static string? LatestCheckpoint(string? folder) => folder is null ? null
        : TrainingCheckpoint.Latest(folder)
          ?? TrainingCheckpoint.Latest(Path.Combine(folder, "unfrozen"))
          ?? TrainingCheckpoint.Latest(Path.Combine(folder, "frozen"));

    /// <summary>Rejects option combinations that would be silently ignored.</summary>
    private static void CheckCombinations(ArchitectureChoice arch, TrainingSettings settings, WeightsChoice? weights, string? sha256, int? fineTune, FreezeSpec? unfreeze)
    {
        ClassifierSetup.Check(arch, settings);
        if (sha256 is not null && weights is not { IsUrl: true })
            throw new UsageException("--weights-sha256 verifies a download; it goes with a --weights URL.");
        if (fineTune is null && unfreeze is not null)
            throw new UsageException("--unfreeze sets the second phase of --fine-tune; give --fine-tune N too.");
        if (fineTune is not null && settings.Freeze is not null)
            throw new UsageException("--fine-tune trains the head with the backbone frozen, then unfreezes to --unfreeze; --freeze does not apply.");
        if (fineTune is not null)
            (unfreeze ?? DefaultUnfreeze).CheckAgainst("--unfreeze", arch.Name, arch.UnitNames(settings.BaselineBlocks));
    }

    /// <summary>Both fine-tuning phases as one history, phase 2's epochs numbered after phase 1's.</summary>
    private static TrainingResult Combine(FineTuneResult phases)
    {
        int offset = phases.Frozen.Epochs.Count;
        var epochs = phases.Frozen.Epochs.Concat(phases.Unfrozen.Epochs.Select(e => e with { Epoch = e.Epoch + offset })).ToList();
        int? best = phases.Unfrozen.BestEpoch is int b ? b + offset : null;
        return new TrainingResult(epochs, best, phases.Unfrozen.StoppedEarly, phases.Frozen.TotalTime + phases.Unfrozen.TotalTime)
        {
            Warnings = [.. phases.Frozen.Warnings, .. phases.Unfrozen.Warnings.Where(w => !phases.Frozen.Warnings.Contains(w))],
        };
    }

    /// <summary>The options of <c>train</c> besides the shared ones (<c>lr-find</c> takes the data, network and weights ones too).</summary>
    internal sealed class TrainOptions
    {
        public TrainingOptionSet Training { get; } = new();

        public Option<string> Data { get; } = new("--data")
        {
            Description = "Folder of images: one subfolder per class, or class-prefixed file names (cat.1.jpg).",
            HelpName = "DIR",
            Required = true,
        };

        public Option<ArchitectureChoice?> Arch { get; } = CliOption.Create<ArchitectureChoice?>("--arch",
            "Network: baseline (small CNN from scratch) or a catalog name (see 'transferkit architectures'). Required unless --weights is an ONNX model or a named backbone.",
            ArchitectureChoice.Parse, "NAME");

        public Option<WeightsChoice?> Weights { get; } = CliOption.Create<WeightsChoice?>("--weights",
            "Pre-trained weights: a .safetensors file or PyTorch .pth/.pt checkpoint with torchvision key names; an .onnx model, which is the backbone itself (no --arch); "
            + "a named backbone (mlnet-resnet18: ML.NET's ResNet-18 from its NuGet package); or an http(s) URL (needs --weights-sha256).", WeightsChoice.Parse, "FILE|NAME|URL");

        public Option<string?> WeightsSha256 { get; } = CliOption.Create<string?>("--weights-sha256",
            "SHA-256 of the file at the --weights URL (64 hex digits); the download is verified against it.", WeightsResolver.ParseSha256, "HEX");

        public Option<string> Out { get; } = new("--out")
        {
            Description = "Where to save the trained model (.safetensors).",
            HelpName = "FILE",
            Required = true,
        };

        public Option<string?> Report { get; } = new("--report")
        {
            Description = "Also write an HTML report of the run (curves, metrics, confusion matrix) to this file.",
            HelpName = "FILE",
        };

        public Option<int?> FineTune { get; } = CliOption.Create<int?>("--fine-tune",
            "Two phases: --epochs with the backbone frozen, then this many epochs with --unfreeze's units training at a tenth of --lr.",
            s => ValueParsers.PositiveInt(s), "EPOCHS");

        public Option<string?> Checkpoints { get; } = new("--checkpoints")
        {
            Description = "Write a checkpoint after every epoch into this folder (the two newest are kept; without --resume, an earlier run's are replaced).",
            HelpName = "DIR",
        };

        public Option<bool> Resume { get; } = new("--resume")
        {
            Description = "Continue the run whose checkpoints are in --checkpoints, with the same data and options (a changed --lr, --freeze, --seed, --batch-size or --optimizer is refused).",
        };

        public Option<FreezeSpec?> Unfreeze { get; } = CliOption.Create<FreezeSpec?>("--unfreeze",
            "Freeze depth of --fine-tune's second phase (same forms as --freeze). Default last:2.", FreezeSpec.Parse, "SPEC");
    }
}
