using System.Globalization;

namespace TransferKit.Samples.DogsVsCats;

/// <summary>The parsed command line. Without <see cref="DataDirectory"/> the sample runs offline on synthetic data.</summary>
public sealed record SampleOptions
{
    /// <summary>The usage text printed by --help.</summary>
    public const string Usage = """
        Usage: dotnet run -c Release --project samples/DogsVsCats -- [options]

        With no options: an offline demo on synthetic images (pre-train a small backbone on a 12-class shapes task,
        then compare training from scratch, frozen transfer and fine-tuning on a small synthetic cats-vs-dogs task).

        Options:
          --data DIR        real photos: Microsoft PetImages (DIR/Cat, DIR/Dog) or Kaggle Dogs vs. Cats (DIR/train
                            with cat.N.jpg and dog.N.jpg, or that train folder itself); a test1/ folder beside train/
                            is predicted into submission.csv (id, probability of dog)
          --arch NAME       architecture for transfer with --data (default mobilenet_v2; any catalog name, e.g. resnet50)
          --weights FILE    pre-trained ImageNet weights of --arch as a .safetensors file with torchvision's keys
                            (downloads are out of scope for this offline sample: pass a local file)
          --fraction F      train on a stratified random share of --data, in (0, 1] (default 1; the seed article uses 0.2)
          --epochs N        epochs of every target run (default 15 offline, 5 with --data)
          --batch N         batch size (default 16 offline, 32 with --data)
          --size N          input size in pixels (default 32 offline, 224 with --data)
          --output DIR      where the best model and the submission go (default: the cache folder below)
          -h, --help        this text

        Cache: $TRANSFERKIT_CACHE/samples (else ~/.cache/transferkit/samples) keeps the pre-trained source backbone and
        the synthetic images, so a second offline run skips pre-training.
        """;

    private static readonly string[] KnownOptions = ["--data", "--arch", "--weights", "--fraction", "--epochs", "--batch", "--size", "--output"];

    /// <summary>The --data folder, or null for the offline demo.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>The --arch catalog name.</summary>
    public string Architecture { get; init; } = "mobilenet_v2";

    /// <summary>The --weights file, or null.</summary>
    public string? WeightsPath { get; init; }

    /// <summary>The --fraction share of --data.</summary>
    public double Fraction { get; init; } = 1;

    /// <summary>--epochs, or null for the mode's default.</summary>
    public int? Epochs { get; init; }

    /// <summary>--batch, or null for the mode's default.</summary>
    public int? BatchSize { get; init; }

    /// <summary>--size, or null for the mode's default.</summary>
    public int? ImageSize { get; init; }

    /// <summary>--output, or null for the cache folder.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Whether --help was given.</summary>
    public bool Help { get; init; }

    /// <summary>Parses <paramref name="args"/> (<c>--name value</c> or <c>--name=value</c>).</summary>
    /// <exception cref="UsageException">An option is unknown, lacks its value, or its value is invalid.</exception>
    public static SampleOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new SampleOptions();
        bool transferOption = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg is "-h" or "--help" or "-?")
            {
                options = options with { Help = true };
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"Unexpected argument '{arg}' (see --help).");
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            string name = equals > 0 ? arg[..equals] : arg;
            if (!KnownOptions.Contains(name)) throw new UsageException($"Unknown option '{name}' (see --help).");
            string value = equals > 0 ? arg[(equals + 1)..]
                : i + 1 < args.Count ? args[++i]
                : throw new UsageException($"{name} needs a value.");

            options = name switch
            {
                "--data" => options with { DataDirectory = value },
                "--arch" => options with { Architecture = value },
                "--weights" => options with { WeightsPath = Weights(value) },
                "--fraction" => options with { Fraction = ParseFraction(value) },
                "--epochs" => options with { Epochs = Positive(name, value) },
                "--batch" => options with { BatchSize = Positive(name, value) },
                "--size" => options with { ImageSize = Positive(name, value) },
                "--output" => options with { OutputDirectory = value },
                _ => throw new UsageException($"Unknown option '{name}' (see --help)."),
            };
            transferOption |= name is "--arch" or "--weights" or "--fraction";
        }

        if (transferOption && options.DataDirectory is null) throw new UsageException("--arch, --weights and --fraction apply to --data only.");
        return options;
    }

    private static string Weights(string value) =>
        value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? throw new UsageException("--weights takes a local .safetensors file: downloading is out of scope for this offline sample.")
            : value;

    private static double ParseFraction(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) && f > 0 && f <= 1
            ? f
            : throw new UsageException($"--fraction must be a number in (0, 1], got '{value}'.");

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new UsageException($"{name} must be a positive whole number, got '{value}'.");
}
