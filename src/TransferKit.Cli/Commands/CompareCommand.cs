using System.CommandLine;
using TransferKit.Api;
using TransferKit.Cli.Data;
using TransferKit.Cli.Output;
using TransferKit.Cli.Parsing;
using TransferKit.Data.Datasets;

namespace TransferKit.Cli.Commands;

/// <summary><c>transferkit compare</c>: trains several architectures on the same split and prints the leaderboard.</summary>
internal static class CompareCommand
{
    private const string Summary = "Train several architectures on the same images and rank them: accuracy, time, size, speed.";

    private const string Details = """
        Every candidate trains on the same stratified split (--validation-fraction held out, default 0.2) with the same
        options, one after another, and is scored on the held-out images. 'baseline' is the small CNN trained from
        scratch. A catalog architecture starts from the weights given for it with --weights NAME=FILE or NAME=URL
        (repeat per candidate; a URL needs --weights-sha256 NAME=HEX and goes through the verified weights cache) and
        is otherwise trained from scratch. The leaderboard goes to standard output; progress to
        standard error.

        Examples:
          transferkit compare --data PetImages --arch baseline,mobilenet_v2 --weights mobilenet_v2=mobilenet_v2.safetensors --epochs 5
          transferkit compare --data PetImages --arch baseline,resnet18 --weights resnet18=https://example.org/r18.safetensors --weights-sha256 resnet18=<64 hex>
          transferkit compare --data PetImages --fraction 0.2 --arch baseline,resnet18,mobilenet_v2 --weights resnet18=r18.safetensors --weights mobilenet_v2=mnv2.safetensors --json
        """;

    /// <summary>Creates the command; its action writes through <paramref name="context"/>.</summary>
    public static (Command Command, string Details) Create(CliContext context)
    {
        var training = new TrainingOptionSet();
        var data = new Option<string>("--data") { Description = "Folder of images: one subfolder per class, or class-prefixed file names.", HelpName = "DIR", Required = true };
        var arch = CliOption.Create("--arch", "Candidates, comma-separated: baseline and catalog names.", ArchitectureChoice.ParseList, "LIST");
        arch.Required = true;
        var weights = new Option<string[]>("--weights")
        {
            Description = "Pre-trained weights of one candidate as NAME=FILE (.safetensors, or a PyTorch .pth/.pt read without running pickle) or NAME=URL; repeat for each candidate that has them.",
            HelpName = "NAME=FILE|URL",
            AllowMultipleArgumentsPerToken = false,
        };
        var sha256 = new Option<string[]>("--weights-sha256")
        {
            Description = "SHA-256 of one candidate's --weights URL as NAME=HEX (64 hex digits); the download is verified against it.",
            HelpName = "NAME=HEX",
            AllowMultipleArgumentsPerToken = false,
        };
        var json = new Option<bool>("--json") { Description = "Write the leaderboard as JSON and nothing else on standard output." };
        var command = new Command("compare", Summary) { data, arch, weights, sha256, json };
        training.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(context, parse.GetRequiredValue(data), parse.GetRequiredValue(arch), parse.GetValue(weights) ?? [],
            parse.GetValue(sha256) ?? [], parse.GetValue(json), training.Read(parse), ct));
        return (command, Details);
    }

    private static async Task<int> RunAsync(CliContext context, string dataPath, IReadOnlyList<ArchitectureChoice> candidates, string[] weightArgs,
        string[] sha256Args, bool json, TrainingSettings settings, CancellationToken cancellationToken)
    {
        var choices = ParsePairs("--weights", "FILE|URL", weightArgs, candidates, WeightsChoice.Parse);
        var hashes = ParsePairs("--weights-sha256", "HEX", sha256Args, candidates, WeightsResolver.ParseSha256);
        foreach (var name in hashes.Keys.Where(n => choices.GetValueOrDefault(n) is not { IsUrl: true }))
            throw new UsageException($"--weights-sha256 {name}=...: it verifies a download; give --weights {name}=URL too.");
        foreach (var candidate in candidates) ClassifierSetup.Check(candidate, settings);
        if (settings.ValidationFraction == 0) throw new UsageException("--validation-fraction 0 leaves nothing to compare the candidates on; use a share such as 0.2.");

        // Weights first, as in train: a missing file or a failed download is found before the data folder is scanned.
        var weights = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, choice) in choices)
        {
            weights[name] = await WeightsResolver.ResolveAsync(choice, hashes.GetValueOrDefault(name), context, cancellationToken,
                $"--weights {name}={choice}: a URL needs --weights-sha256 {name}=HEX (the file's SHA-256), so the download can be verified.").ConfigureAwait(false);
        }

        var folder = ImageFileDataset.DetectFolder(dataPath);
        var all = folder.Dataset;
        context.Note($"data: {Path.GetFullPath(dataPath)} ({folder.LayoutDescription}): {all.Describe()}");
        IImageDataset data = settings.Fraction < 1 ? all.Sample(settings.Fraction, settings.Seed) : all;
        var split = data.Split(1 - settings.ValidationFraction, settings.ValidationFraction, 0, settings.Seed);
        context.Note($"split: {split.Train.Count} training and {split.Validation.Count} validation images (seed {settings.Seed})");

        var comparison = new ModelComparison();
        var display = new TrainingDisplay(context);
        foreach (var candidate in candidates)
        {
            string? path = weights.GetValueOrDefault(candidate.Name);
            // Each candidate gets its own bars (or, in a log, its own titled lines).
            var log = display.Callback(candidate.Name, $"{candidate.Name} ({(path is null ? "from scratch" : "from " + path)})");
            // The split above is the validation set, so the trainer must not hold out another share.
            var builder = ClassifierSetup.Create(candidate, path, settings, validationFraction: 0, log).WithClasses([.. data.ClassNames]);
            comparison.Add(candidate.Name, builder);
        }

        var board = await display.RunAsync(() => comparison.RunAsync(split.Train, split.Validation, new EntryLog(display), cancellationToken)).ConfigureAwait(false);
        if (json) CliJson.Write(context.Out, board.Select(e => new LeaderboardRow(e)).ToList());
        else context.Out.Write(board.ToString());
        return ExitCodes.Success;
    }

    /// <summary>The <c>NAME=VALUE</c> pairs of a repeatable option, at most one per listed candidate, each value parsed.</summary>
    /// <exception cref="UsageException">A pair is malformed, names no candidate, repeats one, or its value does not parse.</exception>
    private static Dictionary<string, T> ParsePairs<T>(string option, string valueName, string[] pairs, IReadOnlyList<ArchitectureChoice> candidates,
        Func<string, T> parse)
    {
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (string pair in pairs)
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == pair.Length - 1)
                throw new UsageException($"{option} {pair}: expected NAME={valueName}, such as mobilenet_v2=...");
            string name = pair[..equals].Trim();
            var candidate = candidates.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"{option} {pair}: '{name}' is not one of the --arch candidates ({string.Join(", ", candidates)}).");
            T value;
            try
            {
                value = parse(pair[(equals + 1)..].Trim());
            }
            catch (FormatException e)
            {
                throw new UsageException($"{option} {pair}: {e.Message}");
            }
            if (!result.TryAdd(candidate.Name, value)) throw new UsageException($"{option}: two values for {candidate.Name}.");
        }
        return result;
    }

    /// <summary>One line on standard error as each candidate finishes.</summary>
    private sealed class EntryLog(TrainingDisplay display) : IProgress<LeaderboardEntry>
    {
        public void Report(LeaderboardEntry value) =>
            display.Note($"{value.Name}: validation accuracy {Numbers.Percent(value.ValidationAccuracy)}, trained in {Numbers.Fixed(value.TrainTime.TotalSeconds, 1)} s");
    }

    /// <summary>One leaderboard row as the JSON output writes it.</summary>
    private sealed record LeaderboardRow(string Name, double ValidationAccuracy, double TrainSeconds, long TrainableParameters, long TotalParameters,
        long ModelFileBytes, double InferenceMillisecondsPerImage)
    {
        public LeaderboardRow(LeaderboardEntry e)
            : this(e.Name, e.ValidationAccuracy, e.TrainTime.TotalSeconds, e.TrainableParameters, e.TotalParameters, e.ModelFileBytes, e.InferenceMillisecondsPerImage)
        {
        }
    }
}
