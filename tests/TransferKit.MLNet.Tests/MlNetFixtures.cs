using Microsoft.ML;
using TransferKit.MLNet.Classification;
using TransferKit.Testing;

namespace TransferKit.MLNet.Tests;

/// <summary>One row of the ML.NET tutorial's shape after LoadRawImageBytes: the encoded image and its label as text.</summary>
public sealed class ImageRow
{
    public byte[] Image { get; set; } = [];

    public string Label { get; set; } = "";
}

/// <summary>A row whose image is a path, as the tutorial's rows are before LoadRawImageBytes.</summary>
public sealed class PathRow
{
    public string Image { get; set; } = "";

    public string Label { get; set; } = "";
}

/// <summary>What a PredictionEngine returns.</summary>
public sealed class ScoredRow
{
    public float[] Score { get; set; } = [];

    public string PredictedLabelValue { get; set; } = "";
}

/// <summary>Rows of synthetic shapes and the tiny-network options the tests train with.</summary>
internal static class MlNetFixtures
{
    public static readonly string[] ShapeClasses = ["circle", "square", "triangle"];

    /// <summary><paramref name="perClass"/> PNG rows of each of the first <paramref name="classes"/> shapes, interleaved by class.</summary>
    public static List<ImageRow> Rows(int classes, int perClass, int seed = 0)
    {
        var rows = new List<ImageRow>();
        for (int i = 0; i < perClass; i++)
            for (int c = 0; c < classes; c++)
                rows.Add(new ImageRow { Image = TestImages.Encode(c, i, seed: seed), Label = TestImages.ShapeNames[c] });
        return rows;
    }

    /// <summary>The tiny network of TransferKit.Testing, as trainer options: from scratch, no validation, no early stopping.</summary>
    public static TransferKitImageClassificationOptions TinyOptions(int epochs = 2, int seed = 0) => new()
    {
        FeatureColumnName = "Image",
        LabelColumnName = "LabelKey",
        BaselineCnn = TinyModels.Backbone(seed: seed),
        InputSize = TinyModels.InputSize,
        Epoch = epochs,
        BatchSize = 8,
        LearningRate = 0.01f,
        Optimizer = Api.OptimizerKind.Adam,
        EarlyStoppingCriteria = null,
        ValidationSetFraction = null,
        Seed = seed,
    };

    /// <summary>The tutorial's pipeline with the trainer line swapped: key the label, train, map the predicted key back.</summary>
    public static IEstimator<ITransformer> Pipeline(MLContext ml, TransferKitImageClassificationOptions options) =>
        ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label")
            .Append(ml.MulticlassClassification.Trainers.TransferKitImageClassification(options))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabelValue", "PredictedLabel"));
}
