// ML.NET's image-classification transfer-learning tutorial, with the trainer line changed to TransferKit's: the
// MLContext, the IDataView of paths and labels, MapValueToKey, LoadRawImageBytes, TrainTestSplit, MapKeyToValue, Fit,
// Evaluate, Save, Load and the PredictionEngine are the tutorial's. Without --data it writes a synthetic cats-vs-dogs
// folder and trains TransferKit's small baseline CNN from scratch (offline, under a minute); with --data DIR (a folder
// per class) and --arch/--weights it fine-tunes a catalog network. --load MODEL --image FILE predicts in a new process.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using TransferKit.Data.Synthetic;
using TransferKit.Models;
using TransferKit.MLNet;
using TransferKit.MLNet.Classification;
using TransferKit.Samples;
using TransferKit.Samples.MlNetImageClassification;

try
{
    var (options, help) = CommandLine.Read(args, new HashSet<string> { "--data", "--arch", "--weights", "--epochs", "--workspace", "--load", "--image" });
    if (help)
    {
        Console.WriteLine("MlNetImageClassification [--data DIR] [--arch NAME --weights FILE] [--epochs N] [--workspace DIR]\n" +
                          "MlNetImageClassification --load MODEL.zip --image FILE");
        return 0;
    }
    var settings = options.ToDictionary(o => o.Name, o => o.Value);
    if (settings.TryGetValue("--load", out var saved))
        return PredictWithSavedModel(saved, settings.TryGetValue("--image", out var image) ? image : throw new UsageException("--load needs --image FILE."));
    return Train(settings);
}
catch (UsageException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

static int Train(Dictionary<string, string> settings)
{
    string workspace = settings.TryGetValue("--workspace", out var w) ? w : Path.Combine(Path.GetTempPath(), "transferkit-mlnet-sample");
    string assets = settings.TryGetValue("--data", out var data) ? data : WriteSyntheticCatsAndDogs(Path.Combine(workspace, "assets"));

    var mlContext = new MLContext(seed: 1);

    IEnumerable<ImageData> images = LoadImagesFromDirectory(assets);
    IDataView imageData = mlContext.Data.LoadFromEnumerable(images);
    IDataView shuffledData = mlContext.Data.ShuffleRows(imageData, seed: 1);

    var preprocessingPipeline = mlContext.Transforms.Conversion.MapValueToKey(inputColumnName: "Label", outputColumnName: "LabelAsKey")
        .Append(mlContext.Transforms.LoadRawImageBytes(outputColumnName: "Image", imageFolder: assets, inputColumnName: "ImagePath"));
    IDataView preProcessedData = preprocessingPipeline.Fit(shuffledData).Transform(shuffledData);

    DataOperationsCatalog.TrainTestData trainSplit = mlContext.Data.TrainTestSplit(data: preProcessedData, testFraction: 0.3, seed: 1);
    DataOperationsCatalog.TrainTestData validationTestSplit = mlContext.Data.TrainTestSplit(trainSplit.TestSet, testFraction: 0.5, seed: 1);
    IDataView trainSet = trainSplit.TrainSet;
    IDataView validationSet = validationTestSplit.TrainSet;
    IDataView testSet = validationTestSplit.TestSet;

    var classifierOptions = new TransferKitImageClassificationOptions
    {
        FeatureColumnName = "Image",
        LabelColumnName = "LabelAsKey",
        ValidationSet = validationSet,
        MetricsCallback = metrics => Console.WriteLine(metrics),
        ReuseTrainSetBottleneckCachedValues = true,
        ReuseValidationSetBottleneckCachedValues = true,
        WorkspacePath = Path.Combine(workspace, "cache"),
        Epoch = settings.TryGetValue("--epochs", out var e) ? CommandLine.Positive("--epochs", e) : 20,
    };
    if (settings.TryGetValue("--weights", out var weights))
    {
        classifierOptions.Arch = Architectures.Get(settings.TryGetValue("--arch", out var arch) ? arch : throw new UsageException("--weights needs --arch NAME."));
        classifierOptions.WeightsPath = weights;
    }
    else
    {
        // Offline: the small baseline CNN from scratch, Adam at 0.01, on 32x32 images.
        classifierOptions.BaselineCnn = new BaselineCnnOptions { Channels = [16, 32] };
        classifierOptions.InputSize = 32;
        classifierOptions.Optimizer = TransferKit.Api.OptimizerKind.Adam;
        classifierOptions.BatchSize = 16;
    }

    // The one line that differs from ML.NET's tutorial: TransferKitImageClassification instead of ImageClassification.
    var trainingPipeline = mlContext.MulticlassClassification.Trainers.TransferKitImageClassification(classifierOptions)
        .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

    ITransformer trainedModel = trainingPipeline.Fit(trainSet);

    IDataView predictions = trainedModel.Transform(testSet);
    var metrics = mlContext.MulticlassClassification.Evaluate(predictions, labelColumnName: "LabelAsKey", predictedLabelColumnName: "PredictedLabel");
    Console.WriteLine($"Test set: micro-accuracy {metrics.MicroAccuracy:P1}, macro-accuracy {metrics.MacroAccuracy:P1}, log-loss {metrics.LogLoss:F3}");
    Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());

    string modelPath = Path.Combine(workspace, "model.zip");
    mlContext.Model.Save(trainedModel, trainSet.Schema, modelPath);
    Console.WriteLine($"Saved {modelPath}");

    // Load it back as a new application would, and classify a few test images with a PredictionEngine.
    var loadedContext = new MLContext();
    ITransformer loadedModel = loadedContext.Model.Load(modelPath, out _);
    var predictionEngine = loadedContext.Model.CreatePredictionEngine<ModelInput, ModelOutput>(loadedModel);
    foreach (var input in mlContext.Data.CreateEnumerable<ModelInput>(testSet, reuseRowObject: false).Take(5))
    {
        ModelOutput prediction = predictionEngine.Predict(input);
        Console.WriteLine($"Image: {Path.GetFileName(prediction.ImagePath)} | Actual: {prediction.Label} | Predicted: {prediction.PredictedLabel} ({prediction.Score.Max():P1})");
    }
    return 0;
}

// The serving side: a process that only loads the saved model and predicts one image.
static int PredictWithSavedModel(string modelPath, string imagePath)
{
    var mlContext = new MLContext();
    // A process that has not used TransferKit.MLNet yet registers its loaders once, as ML.NET's custom mappings ask. A C#
    // project that references the TransferKit.MLNet package gets this done at start-up; this sample references the source.
    mlContext.RegisterTransferKit();
    ITransformer model = mlContext.Model.Load(modelPath, out _);
    var engine = mlContext.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);
    var prediction = engine.Predict(new ModelInput { Image = File.ReadAllBytes(imagePath), ImagePath = imagePath });
    Console.WriteLine($"{prediction.PredictedLabel}\t{string.Join(" ", prediction.Score.Select(s => s.ToString("R", CultureInfo.InvariantCulture)))}");
    return 0;
}

static IEnumerable<ImageData> LoadImagesFromDirectory(string folder) =>
    Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
        .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".jpg" or ".jpeg" or ".png" or ".bmp" or ".gif")
        .Order(StringComparer.Ordinal)
        .Select(f => new ImageData { ImagePath = Path.GetRelativePath(folder, f), Label = Directory.GetParent(f)!.Name });

static string WriteSyntheticCatsAndDogs(string folder)
{
    if (!Directory.Exists(folder))
    {
        Console.WriteLine($"Writing a synthetic cats-vs-dogs folder to {folder} (pass --data DIR for a real one)");
        SyntheticImageTask.CatsAndDogs.Write(folder, new SyntheticImageOptions { ImagesPerClass = 200, Width = 40, Height = 40, Format = SyntheticImageFormat.Png, Seed = 7 });
    }
    return folder;
}
