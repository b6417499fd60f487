using System.CommandLine;
using System.Globalization;
using TransferKit.Api;
using TransferKit.Cli.Output;
using TransferKit.Cli.Parsing;
using TransferKit.Data.Datasets;

namespace TransferKit.Cli.Commands;

/// <summary><c>transferkit lr-find</c>: the learning-rate range test on a folder of images; prints the suggestion and writes the curve as HTML.</summary>
internal static class LrFindCommand
{
    private const string Summary = "Sweep the learning rate over a short run, print the suggested --lr and write the loss curve as HTML.";

    private const string Details = """
        Trains the network set up exactly as 'train' would (same --arch, --weights, --freeze, head and optimizer options)
        for --steps batches while the learning rate grows from --start to --end, then puts every weight back. The
        smoothed loss is read as fastai's lr_find reads it: the first tenth of the batches (warm-up) and the last five
        (divergence) are left out. The suggestion follows --rule: valley (default; half way along the longest fall of the
        loss), steepest (fastest fall) or minimum (the lowest loss's rate / 10). The curve, with each rule's rate marked,
        goes to --out. Pass the suggestion to 'train --lr'.

        Examples:
          transferkit lr-find --data PetImages --arch mobilenet_v2 --weights mobilenet_v2.safetensors
          transferkit lr-find --data train --arch baseline --input-size 64 --steps 200 --rule steepest --out lr.html
        """;

    private static readonly IReadOnlyDictionary<string, LearningRateSuggestionRule> Rules =
        Enum.GetValues<LearningRateSuggestionRule>().ToDictionary(r => r.ToString().ToLowerInvariant(), r => r, StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the command; its action writes through <paramref name="context"/>.</summary>
    public static (Command Command, string Details) Create(CliContext context)
    {
        var o = new LrFindOptions();
        var command = new Command("lr-find", Summary);
        Option[] own = [o.Shared.Data, o.Shared.Arch, o.Shared.Weights, o.Shared.WeightsSha256, o.Out, o.Start, o.End, o.Steps, o.Rule];
        foreach (var option in own) command.Options.Add(option);
        o.Shared.Training.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(context, parse, o, ct));
        return (command, Details);
    }

    private static async Task<int> RunAsync(CliContext context, ParseResult parse, LrFindOptions o, CancellationToken cancellationToken)
    {
        var givenArch = parse.GetValue(o.Shared.Arch);
        var settings = o.Shared.Training.Read(parse);
        var weights = parse.GetValue(o.Shared.Weights);
        string? sha256 = parse.GetValue(o.Shared.WeightsSha256);
        if (givenArch is not null) ClassifierSetup.Check(givenArch, settings);
        if (sha256 is not null && weights is not { IsUrl: true })
            throw new UsageException("--weights-sha256 verifies a download; it goes with a --weights URL.");
        var finder = new LearningRateFinderOptions
        {
            StartLearningRate = parse.GetValue(o.Start),
            EndLearningRate = parse.GetValue(o.End),
            Steps = parse.GetValue(o.Steps),
            Rule = parse.GetValue(o.Rule),
        };
        if (finder.EndLearningRate <= finder.StartLearningRate)
            throw new UsageException($"--end ({Rate(finder.EndLearningRate)}) must be above --start ({Rate(finder.StartLearningRate)}).");
        string output = Path.GetFullPath(parse.GetValue(o.Out)!);

        var (arch, weightsPath) = await NetworkResolver.ResolveAsync(givenArch, weights, sha256, context, cancellationToken).ConfigureAwait(false);
        if (givenArch is null) ClassifierSetup.Check(arch, settings);
        string dataPath = Path.GetFullPath(parse.GetRequiredValue(o.Shared.Data));
        var folder = ImageFileDataset.DetectFolder(dataPath);
        context.Note($"data: {dataPath} ({folder.LayoutDescription}): {folder.Dataset.Describe()}");
        IImageDataset data = settings.Fraction < 1 ? folder.Dataset.Sample(settings.Fraction, settings.Seed) : folder.Dataset;

        // The sweep reads training batches only: nothing is held out.
        var builder = ClassifierSetup.Create(arch, weightsPath, settings, validationFraction: 0, callback: null);
        using var trainer = ClassifierSetup.Build(builder, data.ClassNames);
        context.Note($"sweeping {arch.Name} from {Rate(finder.StartLearningRate)} to {Rate(finder.EndLearningRate)} over {finder.Steps} batches of {settings.BatchSize}");
        var result = await trainer.FindLearningRateAsync(data, finder, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (result.Diverged) context.Note($"the loss diverged at {Rate(result.Curve[^1].LearningRate)}; the sweep stopped after {result.Curve.Count} batches");

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        result.SaveReport(output);
        var stdout = context.Out;
        stdout.WriteLine($"suggested learning rate: {Rate(result.Suggestion)} ({finder.Rule.ToString().ToLowerInvariant()} rule); train with --lr {Rate(result.Suggestion)}");
        foreach (var (name, rule) in Rules) stdout.WriteLine($"  {name,-9} {Rate(result.SuggestionBy(rule))}");
        stdout.WriteLine($"curve: {output}");
        return ExitCodes.Success;
    }

    private static string Rate(double rate) => rate.ToString("0.##E+0", CultureInfo.InvariantCulture);

    /// <summary>The options of <c>lr-find</c>.</summary>
    private sealed class LrFindOptions
    {
        public TrainCommand.TrainOptions Shared { get; } = new();

        public Option<string> Out { get; } = new("--out")
        {
            Description = "Where to write the loss curve as a self-contained HTML page.",
            HelpName = "FILE",
            DefaultValueFactory = _ => "lr-find.html",
        };

        public Option<double> Start { get; } = CliOption.Create("--start", "First learning rate of the sweep.", ValueParsers.PositiveNumber, 1e-7, "RATE");

        public Option<double> End { get; } = CliOption.Create("--end", "Last learning rate of the sweep.", ValueParsers.PositiveNumber, 10.0, "RATE");

        public Option<int> Steps { get; } = CliOption.Create("--steps", "Batches in the sweep (the images are cycled as needed); at least 20.",
            s => ValueParsers.PositiveInt(s) is var n && n >= 20 ? n : throw new FormatException($"expected at least 20, got '{s}'."), 100, "N");

        public Option<LearningRateSuggestionRule> Rule { get; } = CliOption.Create("--rule", "valley (default), steepest or minimum.",
            s => ValueParsers.OneOf(s, Rules), LearningRateSuggestionRule.Valley, "NAME");
    }
}
