// ML.NET's route to the Fashion-MNIST transfer experiment, timed end to end: the same stratified, seeded split as
// samples/FashionMnist (200 training images per class, 200 test images per class from the official test set), written
// as PNG files because LoadImages reads files; then ML.NET's ResNet-18 featurizer and an L-BFGS maximum-entropy
// classifier. Prints one JSON line: accuracy, log-loss and the seconds of each phase.
//
//   dotnet run -c Release --project benchmarks/peer/MlNetFashionMnist -- [--data DIR] [--train-per-class N]
//       [--validation-per-class N] [--test-per-class N] [--seed S]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;

var options = PeerOptions.Parse(args);
var total = Stopwatch.StartNew();

var train = FashionMnistDataset.Load(options.Data);
var test = FashionMnistDataset.Load(options.Data, FashionMnistSplit.Test);
var trainPart = train.SplitPerClass(options.TrainPerClass, options.ValidationPerClass, options.Seed).Train;
var testPart = test.SamplePerClass(options.TestPerClass, options.Seed);

string folder = Directory.CreateTempSubdirectory("mlnet-fashion-mnist-").FullName;
try
{
    var writing = Stopwatch.StartNew();
    var trainRows = ImageRows.Write(trainPart, Path.Combine(folder, "train"));
    var testRows = ImageRows.Write(testPart, Path.Combine(folder, "test"));
    writing.Stop();

    var mlContext = new MLContext(seed: options.Seed);
    var trainData = mlContext.Data.LoadFromEnumerable(trainRows);
    var testData = mlContext.Data.LoadFromEnumerable(testRows);

    // ML.NET's DnnFeaturizeImage tutorial: images resized straight to 224 (the featurizer's own graph subtracts its
    // mean image and reorders channels), pooled 512-d ResNet-18 features, then a linear classifier.
    var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
        .Append(mlContext.Transforms.LoadImages("Image", imageFolder: "", inputColumnName: nameof(ImageRow.ImagePath)))
        .Append(mlContext.Transforms.ResizeImages("Image", imageWidth: 224, imageHeight: 224))
        .Append(mlContext.Transforms.ExtractPixels("Pixels", "Image"))
        .Append(mlContext.Transforms.DnnFeaturizeImage("Features", m => m.ModelSelector.ResNet18(mlContext, m.OutputColumn, m.InputColumn), "Pixels"))
        .AppendCacheCheckpoint(mlContext)
        .Append(mlContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy())
        .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

    var fitting = Stopwatch.StartNew();
    var model = pipeline.Fit(trainData);
    fitting.Stop();

    var scoring = Stopwatch.StartNew();
    var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(testData));
    scoring.Stop();

    Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["peer"] = "ml.net resnet18 featurizer + lbfgs",
        ["train_images"] = trainRows.Count,
        ["test_images"] = testRows.Count,
        ["test_accuracy"] = metrics.MicroAccuracy,
        ["test_log_loss"] = metrics.LogLoss,
        ["write_png_s"] = writing.Elapsed.TotalSeconds,
        ["fit_s"] = fitting.Elapsed.TotalSeconds,
        ["test_s"] = scoring.Elapsed.TotalSeconds,
        ["total_s"] = total.Elapsed.TotalSeconds,
    }));
}
finally
{
    Directory.Delete(folder, recursive: true);
}

/// <summary>One image file and its class name, as ML.NET's tutorials load them.</summary>
internal sealed class ImageRow
{
    public string ImagePath { get; set; } = "";

    public string Label { get; set; } = "";
}

internal static class ImageRows
{
    /// <summary>Writes every sample as a PNG (28x28 grey stored as RGB, as LoadImages reads it) and lists the rows.</summary>
    public static List<ImageRow> Write(IImageDataset data, string folder)
    {
        Directory.CreateDirectory(folder);
        var rows = new List<ImageRow>(data.Count);
        for (int i = 0; i < data.Count; i++)
        {
            string path = Path.Combine(folder, i.ToString("D5", CultureInfo.InvariantCulture) + ".png");
            File.WriteAllBytes(path, PngEncoder.Encode(data.Decode(i)));
            rows.Add(new ImageRow { ImagePath = path, Label = data.ClassNames[data.GetLabel(i)] });
        }

        return rows;
    }
}

internal sealed record PeerOptions(string? Data, int TrainPerClass, int ValidationPerClass, int TestPerClass, int Seed)
{
    public static PeerOptions Parse(string[] args)
    {
        var o = new PeerOptions(null, 200, 100, 200, 1);
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--data" => o with { Data = Next() },
                "--train-per-class" => o with { TrainPerClass = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--validation-per-class" => o with { ValidationPerClass = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--test-per-class" => o with { TestPerClass = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--seed" => o with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return o;
    }
}
