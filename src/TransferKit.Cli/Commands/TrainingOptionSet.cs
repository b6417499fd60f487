using System.CommandLine;
using TransferKit.Api;
using TransferKit.Cli.Parsing;
using TransferKit.Models;
using TransferKit.Training.Caching;

namespace TransferKit.Cli.Commands;

/// <summary>
/// The options <c>train</c> and <c>compare</c> share: the network's head, freeze depth, input size, key map, and the
/// training run (epochs, batch size, learning rate, optimizer, seed, augmentation, data share). Their defaults are the
/// library's (<see cref="TrainingOptions"/>), except the validation hold-out, which is 20% so a report comes out.
/// </summary>
internal sealed class TrainingOptionSet
{
    /// <summary>The default validation hold-out.</summary>
    public const double DefaultValidationFraction = 0.2;

    public Option<FreezeSpec?> Freeze { get; } = CliOption.Create<FreezeSpec?>("--freeze",
        $"How much of the network to freeze: {FreezeSpec.Forms}. Default: backbone with --weights, none without.", FreezeSpec.Parse, "SPEC");

    public Option<IReadOnlyList<int>> Head { get; } = CliOption.Create("--head",
        "Hidden layer widths of the head, such as 256,128 (default none: pooling straight to the classes).", HeadSpecParser.ParseHidden, [], "WIDTHS");

    public Option<HeadPooling?> Pooling { get; } = CliOption.Create<HeadPooling?>("--pooling",
        "How the head turns the feature map into a vector: avg (default), max, concat (avg and max) or flatten.", s => HeadSpecParser.ParsePooling(s), "KIND");

    public Option<double> Dropout { get; } = CliOption.Create("--dropout",
        "Dropout probability after each hidden layer (or before the output without any).", ValueParsers.FractionBelowOne, 0.0, "P");

    public Option<bool> BatchNorm { get; } = new("--batchnorm") { Description = "Put BatchNorm before each hidden layer of the head." };

    public Option<int?> InputSize { get; } = CliOption.Create<int?>("--input-size",
        "Side of the square network input in pixels. Default: the architecture's (224 for most), 64 for the baseline.", s => ValueParsers.PositiveInt(s), "PIXELS");

    public Option<IReadOnlyList<int>?> BaselineChannels { get; } = CliOption.Create<IReadOnlyList<int>?>("--baseline-channels",
        "Channels of the baseline CNN's blocks. Default 32,64,128,256.", ValueParsers.PositiveIntList, "LIST");

    public Option<string?> KeyMap { get; } = CliOption.Create<string?>("--key-map",
        "Key names in the weights file: torchvision (default) or timm (resnet*, mobilenet_v2, efficientnet_b0).",
        s => ValueParsers.OneOf(s, KeyMaps.Names), "NAMES");

    public Option<int> Epochs { get; } = CliOption.Create("--epochs", "Passes over the training images.", ValueParsers.PositiveInt, 10, "N");

    public Option<int> BatchSize { get; } = CliOption.Create("--batch-size", "Images per step.", ValueParsers.PositiveInt, 32, "N");

    public Option<double> LearningRate { get; } = CliOption.Create("--lr", "Learning rate.", ValueParsers.PositiveNumber, 1e-3, "RATE");

    public Option<OptimizerKind?> Optimizer { get; } = CliOption.Create<OptimizerKind?>("--optimizer", "adam (default), adamw or sgd (momentum 0.9).",
        s => ValueParsers.OneOf(s, Optimizers), "NAME");

    public Option<int> Seed { get; } = CliOption.Create("--seed",
        "Seed of initialisation, shuffling, splits, augmentation and dropout.", ValueParsers.Int, 0, "N");

    public Option<double> ValidationFraction { get; } = CliOption.Create("--validation-fraction",
        "Share of the images held out (stratified) to validate on; 0 for none.", ValueParsers.FractionBelowOne, DefaultValidationFraction, "F");

    public Option<double> Fraction { get; } = CliOption.Create("--fraction",
        "Use only this share of the images of each class, such as 0.2 for a quick run.", ValueParsers.FractionAboveZero, 1.0, "F");

    public Option<bool> Augment { get; } = new("--augment")
    {
        Description = "Random resized crops and horizontal flips while training (turns the frozen-feature cache off).",
    };

    public Option<CachePrecision?> CachePrecision { get; } = CliOption.Create<CachePrecision?>("--cache-precision",
        "Element type of the frozen-feature cache: float32 (default, exact), float16 or bfloat16 (half the memory).",
        s => ValueParsers.OneOf(s, CachePrecisions), "TYPE");

    public Option<InferencePrecision> Precision { get; } = PrecisionOption.Create("the frozen units' forward pass (the feature cache fill)");

    public Option<int?> Threads { get; } = CliOption.Create<int?>("--threads", "Threads for the kernels. Default: every core.", s => ValueParsers.PositiveInt(s), "N");

    private static readonly IReadOnlyDictionary<string, CachePrecision> CachePrecisions = new Dictionary<string, CachePrecision>(StringComparer.OrdinalIgnoreCase)
    {
        ["float32"] = Training.Caching.CachePrecision.Float32,
        ["float16"] = Training.Caching.CachePrecision.Float16,
        ["bfloat16"] = Training.Caching.CachePrecision.BFloat16,
    };

    private static readonly IReadOnlyDictionary<string, OptimizerKind> Optimizers = new Dictionary<string, OptimizerKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["adam"] = OptimizerKind.Adam,
        ["adamw"] = OptimizerKind.AdamW,
        ["sgd"] = OptimizerKind.Sgd,
    };

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        Option[] all = [Freeze, Head, Pooling, Dropout, BatchNorm, InputSize, BaselineChannels, KeyMap, Epochs, BatchSize, LearningRate,
            Optimizer, Seed, ValidationFraction, Fraction, Augment, CachePrecision, Precision, Threads];
        foreach (var option in all) command.Options.Add(option);
    }

    /// <summary>The values given (or defaulted) on the command line.</summary>
    /// <exception cref="UsageException">The head options contradict each other.</exception>
    public TrainingSettings Read(ParseResult parse) => new()
    {
        Freeze = parse.GetValue(Freeze),
        Head = HeadSpecParser.Build(parse.GetValue(Head) ?? [], parse.GetValue(Pooling) ?? HeadPooling.Average, (float)parse.GetValue(Dropout), parse.GetValue(BatchNorm)),
        InputSize = parse.GetValue(InputSize),
        BaselineChannels = parse.GetValue(BaselineChannels),
        KeyMap = parse.GetValue(KeyMap) ?? KeyMaps.Torchvision,
        Epochs = parse.GetValue(Epochs),
        BatchSize = parse.GetValue(BatchSize),
        LearningRate = parse.GetValue(LearningRate),
        Optimizer = parse.GetValue(Optimizer) ?? OptimizerKind.Adam,
        Seed = parse.GetValue(Seed),
        ValidationFraction = parse.GetValue(ValidationFraction),
        Fraction = parse.GetValue(Fraction),
        Augment = parse.GetValue(Augment),
        CachePrecision = parse.GetValue(CachePrecision) ?? Training.Caching.CachePrecision.Float32,
        FrozenPrecision = parse.GetValue(Precision),
        Threads = parse.GetValue(Threads),
    };
}
