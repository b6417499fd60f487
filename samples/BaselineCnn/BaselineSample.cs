using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Data.Synthetic;

namespace TransferKit.Samples.BaselineCnn;

/// <summary>The sample itself, callable in-process (tests) as well as from Program.cs.</summary>
public static class BaselineSample
{
    /// <summary>Synthetic images per class when no --data is given.</summary>
    private const int SyntheticPerClass = 96;

    /// <summary>Parses <paramref name="args"/>, trains and reports; returns the exit code (0, 1 failure, 2 usage error).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            var options = BaselineOptions.Parse(args);
            if (options.Help)
            {
                output.WriteLine(BaselineOptions.Usage);
                return 0;
            }
            await TrainAsync(options, output, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is UsageException or TransferKitException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            error.WriteLine($"error: {e.Message}");
            return e is UsageException ? 2 : 1;
        }
    }

    private static async Task TrainAsync(BaselineOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        IImageDataset data;
        if (options.DataDirectory is { } folder)
        {
            var found = ImageFileDataset.DetectFolder(folder);
            data = found.Dataset;
            output.WriteLine($"data: {Path.GetFullPath(folder)} ({found.LayoutDescription}): {data.Describe()}");
        }
        else
        {
            data = SyntheticDatasets.Render(SyntheticImageTask.CatsAndDogs, SyntheticPerClass, size: 48, seed: 0);
            output.WriteLine($"data: synthetic cats and dogs, {data.Describe()} (pass --data DIR for your own images)");
        }

        // The whole recipe is the builder's: the network, its input size, the hold-out share and the log.
        using var trainer = ImageClassifier.Create()
            .UseBaselineCnn()
            .WithInputSize(options.ImageSize ?? (options.DataDirectory is null ? 32 : 64))
            .WithClasses([.. data.ClassNames])
            .WithCallback(new TransferKit.Training.Callbacks.TextLogCallback(output))
            .LogToConsole(false) // the line above logs to this sample's output, which tests capture too
            .WithTraining(o =>
            {
                o.Epochs = options.Epochs;
                o.BatchSize = options.BatchSize;
                o.LearningRate = 3e-3;
                o.ValidationFraction = 0.2;
            })
            .Build();
        output.Write(trainer.Summary());

        var result = await trainer.FitAsync(data, null, null, cancellationToken).ConfigureAwait(false);

        output.WriteLine();
        output.WriteLine(result);
        if (trainer.ValidationReport is { } report) output.Write(report.ToText());
        if (options.OutputPath is { } path)
        {
            trainer.Model.Save(path);
            output.WriteLine($"saved {Path.GetFullPath(path)}");
        }
    }
}
