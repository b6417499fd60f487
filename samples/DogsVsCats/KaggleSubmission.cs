using System.Globalization;
using TransferKit.Api;
using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;

namespace TransferKit.Samples.DogsVsCats;

/// <summary>
/// Writes Kaggle's Dogs vs. Cats submission: a CSV <c>id,label</c> with one row per image of the unlabelled
/// <c>test1/</c> folder, where id is the number in the file name (<c>123.jpg</c> → 123) and label is the predicted
/// probability that the image is a dog (the "Redux" competition's format, scored by log-loss).
/// </summary>
public static class KaggleSubmission
{
    private const int BatchSize = 64;

    /// <summary>Predicts every image of <paramref name="testDirectory"/> and writes the CSV; returns the number of rows.</summary>
    /// <param name="model">A trained model whose classes include "dog" (any case); otherwise class 1 counts as dog.</param>
    /// <param name="testDirectory">Kaggle's <c>test1/</c> folder.</param>
    /// <param name="csvPath">The file to write (overwritten).</param>
    /// <remarks>An unreadable image gets 0.5, the guess that costs least log-loss, so the submission stays complete.</remarks>
    public static int Write(TrainedModel model, string testDirectory, string csvPath)
    {
        ArgumentNullException.ThrowIfNull(model);
        var test = KaggleDogsVsCats.Test(testDirectory);
        int dog = DogIndex(model.ClassNames);
        var rows = new List<(long Id, float Dog)>(test.Count);
        for (int start = 0; start < test.Count; start += BatchSize)
        {
            var indices = Enumerable.Range(start, Math.Min(BatchSize, test.Count - start)).ToArray();
            var images = new List<DecodedImage>();
            var readable = new List<int>();
            foreach (int i in indices)
            {
                try
                {
                    images.Add(test.Decode(i));
                    readable.Add(i);
                }
                catch (ImageDecodeException)
                {
                    rows.Add((Id(test.GetSourceName(i)), 0.5f));
                }
            }
            var predictions = model.Predict(images);
            for (int k = 0; k < readable.Count; k++) rows.Add((Id(test.GetSourceName(readable[k])), predictions[k].Scores[dog]));
        }

        using var writer = new StreamWriter(csvPath);
        writer.WriteLine("id,label");
        foreach (var (id, p) in rows.OrderBy(r => r.Id)) writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{id},{p:0.######}"));
        return rows.Count;
    }

    private static int DogIndex(IReadOnlyList<string> classNames)
    {
        for (int c = 0; c < classNames.Count; c++)
        {
            if (string.Equals(classNames[c], "dog", StringComparison.OrdinalIgnoreCase)) return c;
        }
        return 1;
    }

    /// <summary>The number in a Kaggle test file's name, or -1 when the name is not a number.</summary>
    private static long Id(string path) =>
        long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out long id) ? id : -1;
}
