using TransferKit.Api;

namespace TransferKit.Samples.FashionMnist;

/// <summary>The parsed command line.</summary>
public sealed record FashionMnistOptions
{
    /// <summary>The usage text printed by --help.</summary>
    public const string Usage = """
        Usage: dotnet run -c Release --project samples/FashionMnist -- [options]

        The seed experiment on real weights and real data: Fashion-MNIST (28 px grey, upsampled), a baseline CNN
        from scratch, ML.NET's ImageNet ResNet-18 frozen (head only, activation cache) and a two-phase fine-tune
        (head first, then the last unit), on a stratified, seeded split: 200 training and 100 validation images
        per class from the training set, 200 per class from the official test set.

        Options:
          --data DIR                  the four Fashion-MNIST IDX files (default: Debian's dataset-fashion-mnist,
                                      /usr/share/datasets/fashion-mnist)
          --weights FILE              ML.NET's ResNet18.onnx (default: the one in the restored NuGet package
                                      Microsoft.ML.DnnImageFeaturizer.ResNet18)
          --train-per-class N         training images per class (default 200)
          --validation-per-class N    validation images per class, from the rest of the training set (default 100)
          --test-per-class N          test images per class, from the official test set (default 200)
          --epochs N                  epochs of the baseline, the frozen run and the fine-tune's first phase (default 10)
          --unfrozen-epochs N         epochs of the fine-tune's second phase (default 3)
          --seed N                    seed of the split, initialisation and shuffling (default 1)
          --precision P               float32 (default) or bfloat16: the arithmetic of the frozen units and of the
                                      test predictions (bfloat16 needs AVX512-BF16; elsewhere it runs float32)
          --json FILE                 also write the table as JSON (for benchmarks/peer/compare_fashion_mnist.sh)
          --quick                     a smoke test: 3 training, 1 validation and 3 test images per class, 1 epoch
          -h, --help                  this text
        """;

    private static readonly HashSet<string> KnownOptions = new(StringComparer.Ordinal)
    {
        "--data", "--weights", "--train-per-class", "--validation-per-class", "--test-per-class", "--epochs", "--unfrozen-epochs", "--seed", "--json", "--precision",
    };

    /// <summary>The --data folder, or null for Debian's.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>The --weights file, or null for the NuGet package's.</summary>
    public string? WeightsPath { get; init; }

    /// <summary>The --json file, or null when the table is only printed.</summary>
    public string? JsonPath { get; init; }

    /// <summary>The protocol and training settings the options give.</summary>
    public FashionMnistSettings Settings { get; init; } = new();

    /// <summary>Whether --quick was given.</summary>
    public bool Quick { get; init; }

    /// <summary>Whether --help was given.</summary>
    public bool Help { get; init; }

    /// <summary>
    /// Parses <paramref name="args"/> (<c>--name value</c> or <c>--name=value</c>; <c>--quick</c> takes no value). The
    /// counts of --quick apply first, so explicit counts override them.
    /// </summary>
    /// <exception cref="UsageException">An option is unknown, lacks its value, or its value is invalid.</exception>
    public static FashionMnistOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        bool quick = args.Contains("--quick");
        var (pairs, help) = CommandLine.Read([.. args.Where(a => a != "--quick")], KnownOptions);
        var s = quick
            ? new FashionMnistSettings { TrainPerClass = 3, ValidationPerClass = 1, TestPerClass = 3, Epochs = 1, UnfrozenEpochs = 1, BaselineImageSize = 32 }
            : new FashionMnistSettings();
        var options = new FashionMnistOptions { Help = help, Quick = quick };
        foreach (var (name, value) in pairs)
        {
            switch (name)
            {
                case "--data": options = options with { DataDirectory = value }; break;
                case "--weights": options = options with { WeightsPath = CommandLine.LocalWeights(value) }; break;
                case "--train-per-class": s = s with { TrainPerClass = CommandLine.Positive(name, value) }; break;
                case "--validation-per-class": s = s with { ValidationPerClass = CommandLine.Positive(name, value) }; break;
                case "--test-per-class": s = s with { TestPerClass = CommandLine.Positive(name, value) }; break;
                case "--epochs": s = s with { Epochs = CommandLine.Positive(name, value) }; break;
                case "--unfrozen-epochs": s = s with { UnfrozenEpochs = CommandLine.Positive(name, value) }; break;
                case "--seed": s = s with { Seed = CommandLine.Positive(name, value) }; break;
                case "--json": options = options with { JsonPath = value }; break;
                case "--precision":
                    s = s with
                    {
                        Precision = value.ToLowerInvariant() switch
                        {
                            "float32" or "fp32" => InferencePrecision.Float32,
                            "bfloat16" or "bf16" => InferencePrecision.BFloat16,
                            _ => throw new UsageException($"--precision: '{value}' is not float32 or bfloat16."),
                        },
                    };
                    break;
                default: throw new UsageException($"Unknown option '{name}' (see --help).");
            }
        }
        return options with { Settings = s };
    }
}
