namespace TransferKit.Samples.BaselineCnn;

/// <summary>The sample's parsed command line. Without <see cref="DataDirectory"/> it trains on synthetic images.</summary>
public sealed record BaselineOptions
{
    /// <summary>The usage text printed by --help.</summary>
    public const string Usage = """
        Usage: dotnet run -c Release --project samples/BaselineCnn -- [options]

        Trains the small baseline CNN from scratch through the builder (ImageClassifier.Create().UseBaselineCnn()),
        prints its summary and one line per epoch, and evaluates it on a held-out share. With no options it runs
        offline on synthetic cats-and-dogs images in seconds.

        Options:
          --data DIR     your images: one subfolder per class (DIR/Cat, DIR/Dog), or class-prefixed files (cat.1.jpg)
          --epochs N     training epochs (default 6)
          --size N       input size in pixels (default 32 offline, 64 with --data)
          --batch N      batch size (default 32)
          --out FILE     also save the trained model (.safetensors)
          -h, --help     this text
        """;

    private static readonly HashSet<string> KnownOptions = new(StringComparer.Ordinal) { "--data", "--epochs", "--size", "--batch", "--out" };

    /// <summary>The --data folder, or null for synthetic images.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>--epochs.</summary>
    public int Epochs { get; init; } = 6;

    /// <summary>--size, or null for the mode's default.</summary>
    public int? ImageSize { get; init; }

    /// <summary>--batch.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>--out, or null.</summary>
    public string? OutputPath { get; init; }

    /// <summary>Whether --help was given.</summary>
    public bool Help { get; init; }

    /// <summary>Parses <paramref name="args"/> (<c>--name value</c> or <c>--name=value</c>).</summary>
    /// <exception cref="UsageException">An option is unknown, lacks its value, or its value is invalid.</exception>
    public static BaselineOptions Parse(IReadOnlyList<string> args)
    {
        var (pairs, help) = CommandLine.Read(args, KnownOptions);
        var options = new BaselineOptions { Help = help };
        foreach (var (name, value) in pairs)
        {
            options = name switch
            {
                "--data" => options with { DataDirectory = value },
                "--epochs" => options with { Epochs = CommandLine.Positive(name, value) },
                "--size" => options with { ImageSize = CommandLine.Positive(name, value) },
                "--batch" => options with { BatchSize = CommandLine.Positive(name, value) },
                "--out" => options with { OutputPath = value },
                _ => throw new UsageException($"Unknown option '{name}' (see --help)."),
            };
        }
        return options;
    }
}
