using System.CommandLine;
using TransferKit.Api;
using TransferKit.Cli.Data;
using TransferKit.Cli.Parsing;
using TransferKit.Data.Datasets;

namespace TransferKit.Cli.Commands;

/// <summary><c>transferkit evaluate</c>: a trained model's metrics and confusion matrix on a labelled folder.</summary>
internal static class EvaluateCommand
{
    private const string Summary = "Score a trained model on a labelled folder: accuracy, per-class metrics, confusion matrix.";

    private const string Details = """
        --data takes the same layouts as 'train' (a folder per class, or class-prefixed file names). Its classes may be
        a subset of the model's, in any case (cat for Cat); a class the model does not know is an error. Unreadable
        images are skipped and counted on standard error.

        Examples:
          transferkit evaluate --model pets.safetensors --data PetImagesTest
          transferkit evaluate --model pets.safetensors --data test --json > report.json
        """;

    /// <summary>Creates the command; its action writes through <paramref name="context"/>.</summary>
    public static (Command Command, string Details) Create(CliContext context)
    {
        var model = ModelOption.Create();
        var data = new Option<string>("--data") { Description = "Labelled images to score the model on.", HelpName = "DIR", Required = true };
        var json = new Option<bool>("--json") { Description = "Write the report as JSON and nothing else on standard output." };
        var batchSize = CliOption.Create("--batch-size", "Images per forward pass.", ValueParsers.PositiveInt, 32, "N");
        var precision = PrecisionOption.Create("the predictions");
        var command = new Command("evaluate", Summary) { model, data, json, batchSize, precision };
        command.SetAction(parse => Run(context, parse.GetRequiredValue(model), parse.GetRequiredValue(data), parse.GetValue(json), parse.GetValue(batchSize),
            parse.GetValue(precision)));
        return (command, Details);
    }

    private static int Run(CliContext context, string modelPath, string dataPath, bool json, int batchSize, InferencePrecision precision)
    {
        using var model = TrainedModel.Load(modelPath);
        PrecisionOption.ApplyTo(model, precision, context);
        var folder = ImageFileDataset.DetectFolder(dataPath);
        var data = ClassAlignment.ToModelClasses(folder.Dataset, model.ClassNames, Path.GetFullPath(dataPath));
        context.Note($"data: {Path.GetFullPath(dataPath)} ({folder.LayoutDescription}): {folder.Dataset.Describe()}");
        var report = model.Evaluate(data, batchSize);
        long skipped = data.Count - report.SampleCount;
        if (skipped > 0) context.Warn($"{skipped} of {data.Count} images could not be read and were skipped.");
        if (json)
        {
            context.Out.WriteLine(report.ToJson());
        }
        else
        {
            context.Out.WriteLine($"{model.Metadata.Network.Architecture} on {report.SampleCount} images:");
            context.Out.Write(report.ToText());
        }
        return ExitCodes.Success;
    }
}
