using System.CommandLine;
using System.Globalization;
using TransferKit.Api;
using TransferKit.Cli.Output;
using TransferKit.Cli.Parsing;
using TransferKit.Data.Decoding;

namespace TransferKit.Cli.Commands;

/// <summary><c>transferkit predict</c>: a trained model's predictions for image files and folders.</summary>
internal static class PredictCommand
{
    /// <summary>Extensions a folder is expanded to (a file named on the command line is read whatever its name).</summary>
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp", ".gif" };

    private const string Summary = "Predict the class of image files, or of every image in folders.";

    private const string Details = """
        Prints one row per image: the file, the predicted class, its probability, and with --top K the K most likely
        classes. A folder stands for its .jpg, .jpeg, .png, .bmp and .gif files (not its subfolders). An unreadable image
        is reported on standard error and skipped; the exit code is then 1.

        Examples:
          transferkit predict --model pets.safetensors cat.jpg dog.png
          transferkit predict --model pets.safetensors photos/ --top 2
          transferkit predict --model pets.safetensors test1/ --csv > predictions.csv
        """;

    /// <summary>Creates the command; its action writes through <paramref name="context"/>.</summary>
    public static (Command Command, string Details) Create(CliContext context)
    {
        var model = ModelOption.Create();
        var inputs = new Argument<string[]>("FILES") { Description = "Image files and folders of images.", Arity = ArgumentArity.OneOrMore };
        var csv = new Option<bool>("--csv") { Description = "Write CSV (file,label,confidence; with --top also top) and nothing else on standard output." };
        var top = CliOption.Create("--top", "Also list the K most likely classes of each image.", ValueParsers.PositiveInt, 1, "K");
        var batchSize = CliOption.Create("--batch-size", "Images per forward pass.", ValueParsers.PositiveInt, 32, "N");
        var precision = PrecisionOption.Create("the predictions");
        var command = new Command("predict", Summary) { model, inputs, csv, top, batchSize, precision };
        command.SetAction(parse => Run(context, parse.GetRequiredValue(model), parse.GetRequiredValue(inputs), parse.GetValue(csv), parse.GetValue(top),
            parse.GetValue(batchSize), parse.GetValue(precision)));
        return (command, Details);
    }

    private static int Run(CliContext context, string modelPath, string[] inputs, bool csv, int top, int batchSize, InferencePrecision precision)
    {
        var files = Expand(inputs);
        using var model = TrainedModel.Load(modelPath);
        PrecisionOption.ApplyTo(model, precision, context);
        int k = Math.Min(top, model.ClassNames.Count);
        var rows = new List<(string File, Prediction Prediction)>();
        int failed = 0;
        foreach (var chunk in files.Chunk(batchSize))
        {
            var images = new List<(string File, DecodedImage Image)>();
            foreach (string file in chunk)
            {
                try
                {
                    images.Add((file, ImageDecoder.Decode(file)));
                }
                catch (ImageDecodeException e)
                {
                    // One bad photo should not cost the others' predictions; the exit code still says something failed.
                    context.Error.WriteLine($"{CliApp.Name}: error: {ErrorHandler.OneLine(e.Message)}");
                    failed++;
                }
            }
            var predictions = model.Predict(images.Select(i => i.Image).ToList());
            rows.AddRange(images.Select((image, i) => (image.File, predictions[i])));
        }

        if (csv) WriteCsv(context.Out, rows, k);
        else WriteTable(context.Out, rows, k);
        if (failed > 0) context.Note($"{failed} of {files.Count} images could not be read.");
        return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>The files named, with each folder replaced by its images in ordinal order.</summary>
    /// <exception cref="FileNotFoundException">A name is neither a file nor a folder.</exception>
    /// <exception cref="UsageException">The folders named hold no images.</exception>
    internal static IReadOnlyList<string> Expand(IEnumerable<string> inputs)
    {
        var files = new List<string>();
        foreach (string input in inputs)
        {
            if (File.Exists(input))
            {
                files.Add(input);
            }
            else if (Directory.Exists(input))
            {
                var options = new EnumerationOptions { AttributesToSkip = FileAttributes.Hidden | FileAttributes.System };
                files.AddRange(Directory.EnumerateFiles(input, "*", options)
                    .Where(f => ImageExtensions.Contains(Path.GetExtension(f)) && !Path.GetFileName(f).StartsWith('.'))
                    .Order(StringComparer.Ordinal));
            }
            else
            {
                throw new FileNotFoundException($"{input}: no such file or folder.", input);
            }
        }
        return files.Count > 0 ? files : throw new UsageException($"no images to predict in {string.Join(", ", inputs)} (folders are searched for .jpg, .jpeg, .png, .bmp and .gif files).");
    }

    private static void WriteCsv(TextWriter writer, List<(string File, Prediction Prediction)> rows, int k)
    {
        if (k > 1) Csv.WriteRow(writer, "file", "label", "confidence", "top");
        else Csv.WriteRow(writer, "file", "label", "confidence");
        foreach (var (file, p) in rows)
        {
            string confidence = p.Confidence.ToString("R", CultureInfo.InvariantCulture);
            if (k > 1) Csv.WriteRow(writer, file, p.Label, confidence, string.Join(";", p.Top(k).Select(t => $"{t.Label}:{t.Score.ToString("F4", CultureInfo.InvariantCulture)}")));
            else Csv.WriteRow(writer, file, p.Label, confidence);
        }
    }

    private static void WriteTable(TextWriter writer, List<(string File, Prediction Prediction)> rows, int k)
    {
        var table = k > 1 ? new TextTable("file", "label", ">confidence", $"top {k}") : new TextTable("file", "label", ">confidence");
        foreach (var (file, p) in rows)
        {
            string confidence = Numbers.Percent(p.Confidence);
            if (k > 1) table.Add(file, p.Label, confidence, string.Join(", ", p.Top(k).Select(t => $"{t.Label} {Numbers.Percent(t.Score)}")));
            else table.Add(file, p.Label, confidence);
        }
        table.WriteTo(writer);
    }
}
