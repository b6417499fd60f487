using TransferKit.Data.Synthetic;

namespace TransferKit.Cli.Tests;

/// <summary>
/// A small folder of real image files (the synthetic cats-and-dogs task, a folder per class, JPEG) and one model trained
/// on it through <c>transferkit train</c>, shared by the command tests so the training runs once.
/// </summary>
public sealed class CliFixture : IDisposable
{
    /// <summary>Input size of the tiny models: small enough for a test, big enough for two pooling stages.</summary>
    public const int ImageSize = 24;

    public CliFixture()
    {
        Root = Directory.CreateTempSubdirectory("tk-cli-").FullName;
        DataDirectory = Path.Combine(Root, "pets");
        Images = SyntheticImageTask.CatsAndDogs.Write(DataDirectory,
            new SyntheticImageOptions { ImagesPerClass = 10, Width = 32, Height = 28, Seed = 7 });
        ModelPath = Path.Combine(Root, "models", "pets.safetensors");
        Train = CliRun.RunAsync(TinyTrainArguments(DataDirectory, ModelPath)).GetAwaiter().GetResult();
    }

    /// <summary>The temporary folder everything lives in.</summary>
    public string Root { get; }

    /// <summary>The labelled images: DataDirectory/cat/*.jpg and DataDirectory/dog/*.jpg.</summary>
    public string DataDirectory { get; }

    /// <summary>What was written.</summary>
    public SyntheticImageSet Images { get; }

    /// <summary>The model the fixture's training wrote.</summary>
    public string ModelPath { get; }

    /// <summary>The fixture's training run.</summary>
    public CliRun Train { get; }

    /// <summary>A path for a test's own file.</summary>
    public string PathFor(string name) => Path.Combine(Root, $"{Guid.NewGuid():N}-{name}");

    /// <summary>Arguments that train a tiny baseline CNN in well under a second.</summary>
    public static string[] TinyTrainArguments(string data, string output, params string[] more) => TinyTrainArguments(data, output, 2, more);

    /// <summary>The same with <paramref name="epochs"/> epochs.</summary>
    public static string[] TinyTrainArguments(string data, string output, int epochs, params string[] more) =>
    [
        "train", "--data", data, "--arch", "baseline", "--baseline-channels", "8,16", "--input-size", $"{ImageSize}",
        "--epochs", $"{epochs}", "--batch-size", "8", "--lr", "0.003", "--seed", "1", "--validation-fraction", "0.25", "--out", output, .. more,
    ];

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<CliFixture>
{
    public const string Name = "cli";
}
