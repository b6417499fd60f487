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
        scratch. A catalog architecture starts from the weights given for it with --weights NAME=FILE (repeat per
        candidate) and is otherwise trained from scratch. The leaderboard goes to standard output; progress to
        standard error.

        Examples:
          transferkit compare --data PetImages --arch baseline,mobilenet_v2 --weights mobilenet_v2=mobilenet_v2.safetensors --epochs 5
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
            Description = "Pre-trained weights of one candidate as NAME=FILE (.safetensors); repeat for each candidate that has them.",
            HelpName = "NAME=FILE",
            AllowMultipleArgumentsPerToken = false,
        };
        var json = new Option<bool>("--json") { Description = "Write the leaderboard as JSON and nothing else on standard output." };
        var command = new Command("compare", Summary) { data, arch, weights, json };
        training.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(context, parse.GetRequiredValue(data), parse.GetRequiredValue(arch), parse.GetValue(weights) ?? [],
            parse.GetValue(json), training.Read(parse), ct));
        return (command, Details);
    }

    private static async Task<int> RunAsync(CliContext context, string dataPath, IReadOnlyList<ArchitectureChoice> candidates, string[] weightArgs,
        bool json, TrainingSettings settings, CancellationToken cancellationToken)
    {
        var weights = ParseWeights(weightArgs, candidates);
        foreach (var candidate in candidates) ClassifierSetup.Check(candidate, settings);
        if (settings.ValidationFraction == 0) throw new UsageException("--validation-fraction 0 leaves nothing to compare the candidates on; use a share such as 0.2.");

        var folder = ImageFileDataset.DetectFolder(dataPath);
        var all = folder.Dataset;
        context.Note($"data: {Path.GetFullPath(dataPath)} ({folder.LayoutDescription}): {all.Describe()}");
        IImageDataset data = settings.Fraction < 1 ? all.Sample(settings.Fraction, settings.Seed) : all;
        var split = data.Split(1 - settings.ValidationFraction, settings.ValidationFraction, 0, settings.Seed);
        context.Note($"split: {split.Train.Count} training and {split.Validation.Count} validation images (seed {settings.Seed})");

        var comparison = new ModelComparison();
        foreach (var candidate in candidates)
        {
            string? path = weights.GetValueOrDefault(candidate.Name);
            // Plain lines even on a terminal: the comparison reports per candidate, and a bar per candidate would scroll anyway.
            var log = new PlainProgressLog(context.Error, $"{candidate.Name} ({(path is null ? "from scratch" : "from " + path)})");
            // The split above is the validation set, so the trainer must not hold out another share.
            var builder = ClassifierSetup.Create(candidate, path, settings, validationFraction: 0, log).WithClasses([.. data.ClassNames]);
            comparison.Add(candidate.Name, builder);
        }

        var board = await comparison.RunAsync(split.Train, split.Validation, new EntryLog(context), cancellationToken).ConfigureAwait(false);
        if (json) CliJson.Write(context.Out, board.Select(e => new LeaderboardRow(e)).ToList());
        else context.Out.Write(board.ToString());
        return ExitCodes.Success;
    }

    /// <summary>The <c>--weights NAME=FILE</c> pairs, each for a listed candidate and an existing file.</summary>
    private static Dictionary<string, string> ParseWeights(string[] pairs, IReadOnlyList<ArchitectureChoice> candidates)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in pairs)
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == pair.Length - 1)
                throw new UsageException($"--weights {pair}: expected NAME=FILE, such as mobilenet_v2=mobilenet_v2.safetensors.");
            string name = pair[..equals].Trim();
            var candidate = candidates.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"--weights {pair}: '{name}' is not one of the --arch candidates ({string.Join(", ", candidates)}).");
            string file = Path.GetFullPath(pair[(equals + 1)..].Trim());
            if (!File.Exists(file)) throw new FileNotFoundException($"{file}: the weights file for {candidate.Name} does not exist.", file);
            if (!result.TryAdd(candidate.Name, file)) throw new UsageException($"--weights: two files for {candidate.Name}.");
        }
        return result;
    }

    /// <summary>One line on standard error as each candidate finishes.</summary>
    private sealed class EntryLog(CliContext context) : IProgress<LeaderboardEntry>
    {
        public void Report(LeaderboardEntry value) =>
            context.Note($"{value.Name}: validation accuracy {Numbers.Percent(value.ValidationAccuracy)}, trained in {Numbers.Fixed(value.TrainTime.TotalSeconds, 1)} s");
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
