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
          --weights FILE    pre-trained ImageNet weights of --arch as a .safetensors file with torchvision's keys, or an
                            .onnx model (its own architecture); or mlnet-resnet18, ML.NET's ResNet-18 from the NuGet
                            package this project references (restored by dotnet run; no download step)
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

    private static readonly HashSet<string> KnownOptions = new(StringComparer.Ordinal) { "--data", "--arch", "--weights", "--fraction", "--epochs", "--batch", "--size", "--output" };

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
        var (pairs, help) = CommandLine.Read(args, KnownOptions);
        var options = new SampleOptions { Help = help };
        foreach (var (name, value) in pairs)
        {
            options = name switch
            {
                "--data" => options with { DataDirectory = value },
                "--arch" => options with { Architecture = value },
                "--weights" => options with { WeightsPath = CommandLine.LocalWeights(value) },
                "--fraction" => options with { Fraction = CommandLine.Fraction(value) },
                "--epochs" => options with { Epochs = CommandLine.Positive(name, value) },
                "--batch" => options with { BatchSize = CommandLine.Positive(name, value) },
                "--size" => options with { ImageSize = CommandLine.Positive(name, value) },
                "--output" => options with { OutputDirectory = value },
                _ => throw new UsageException($"Unknown option '{name}' (see --help)."),
            };
        }

        if (pairs.Any(p => p.Name is "--arch" or "--weights" or "--fraction") && options.DataDirectory is null)
            throw new UsageException("--arch, --weights and --fraction apply to --data only.");
        return options;
    }



}
