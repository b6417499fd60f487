using System.Xml.Linq;
using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;
using TransferKit.Data.Synthetic;
using TransferKit.Models;
using TransferKit.Training.Callbacks;
using TransferKit.Weights;

namespace TransferKit.Tests.Reporting;

/// <summary>
/// One tiny real fit with a validation set, shared by the report tests: a baseline CNN with random "pre-trained"
/// weights, its first two units frozen (so the activation cache and the cached validation pass run), four synthetic
/// shape classes whose names and file names contain markup characters, and its report saved to a file.
/// </summary>
public sealed class TrainedReport : IDisposable
{
    public const int Size = 24, Epochs = 3, BatchSize = 8;

    /// <summary>Class names that break HTML unless escaped.</summary>
    public static readonly string[] ClassNames = ["<circle>", "square & co", "\"triangle\"", "star's </td>"];

    private readonly string _dir = System.IO.Directory.CreateTempSubdirectory("tk-report-").FullName;

    public TrainedReport()
    {
        Train = Render(perClass: 10, seed: 1);
        Validation = Render(perClass: 8, seed: 2);
        Trainer = Builder(WeightsFile()).FreezeUnits(2).WithClasses(ClassNames).Build();
        Result = Trainer.FitAsync(Train, Validation).GetAwaiter().GetResult();
        ReportPath = Path.Combine(_dir, "report.html");
        Result.SaveReport(ReportPath);
        Html = File.ReadAllText(ReportPath);
        Document = XDocument.Parse(Html);
    }

    public InMemoryImageDataset Train { get; }

    public InMemoryImageDataset Validation { get; }

    public ImageClassifierTrainer Trainer { get; }

    public TrainingResult Result { get; }

    public string ReportPath { get; }

    public string Html { get; }

    public XDocument Document { get; }

    public string Directory => _dir;

    public static ImageClassifierBuilder Builder(string? weights) =>
        (weights is null ? ImageClassifier.Create().UseBaselineCnn(new BaselineCnnOptions { Channels = [6, 12, 16] })
            : ImageClassifier.Create().UseBaselineCnn(new BaselineCnnOptions { Channels = [6, 12, 16] }).UsePretrainedWeights(weights))
        .WithInputSize(Size)
        .WithTraining(o =>
        {
            o.Epochs = Epochs;
            o.BatchSize = BatchSize;
            o.LearningRate = 3e-3;
            o.Seed = 5;
        });

    /// <summary>The first four shape classes, renamed, with file-like names that need escaping too.</summary>
    public static InMemoryImageDataset Render(int perClass, int seed)
    {
        var images = new List<DecodedImage>();
        var labels = new List<int>();
        var names = new List<string>();
        for (int i = 0; i < perClass; i++)
        {
            for (int label = 0; label < ClassNames.Length; label++)
            {
                images.Add(SyntheticImageTask.Shapes.Render(label, Size, Size, (seed * 1_000_003) + (i * 101) + label));
                labels.Add(label);
                names.Add($"set{seed}/<img src=x> & \"{i}-{label}\".png");
            }
        }
        return InMemoryImageDataset.FromDecoded(images, labels, ClassNames, names);
    }

    public string WeightsFile()
    {
        string path = Path.Combine(_dir, "backbone.safetensors");
        if (File.Exists(path)) return path;
        using var net = new BaselineCnn(new BaselineCnnOptions { Channels = [6, 12, 16], Classes = 5, Seed = 3 });
        SafetensorsWriter.Write(path, net.StateDict());
        return path;
    }

    public void Dispose()
    {
        Trainer.Dispose();
        System.IO.Directory.Delete(_dir, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class TrainedReportCollection : ICollectionFixture<TrainedReport>
{
    public const string Name = "trained report";
}
