using System.Text.Json;
using TransferKit.Data.Datasets;

namespace TransferKit.Samples.FashionMnist;

/// <summary>
/// The table as one JSON object, in the key names of benchmarks/peer/MlNetFashionMnist's line, so a script can set the
/// two runs side by side.
/// </summary>
public static class JsonReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes the rows and the split's sizes to <paramref name="path"/> (replacing it).</summary>
    public static void Write(string path, IReadOnlyList<FashionMnistRow> rows, DatasetSplit split)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(split);
        var document = new Dictionary<string, object>
        {
            ["train_images"] = split.Train.Count,
            ["validation_images"] = split.Validation.Count,
            ["test_images"] = split.Test.Count,
            ["rows"] = rows.Select(r => new Dictionary<string, object>
            {
                ["name"] = r.Name,
                ["test_accuracy"] = r.Test.Accuracy,
                ["test_log_loss"] = r.Test.LogLoss,
                ["seconds"] = r.Time.TotalSeconds,
                ["trainable_parameters"] = r.TrainableParameters,
            }).ToList(),
        };
        File.WriteAllText(path, JsonSerializer.Serialize(document, Indented));
    }
}
