using Microsoft.ML;
using Microsoft.ML.Data;
using TransferKit.Data.Datasets;

namespace TransferKit.MLNet.Data;

/// <summary>
/// Reads an IDataView's encoded images and key labels into an <see cref="InMemoryImageDataset"/>, so training runs
/// through the same loader, bad-image policy and activation cache as the TransferKit builder. Images stay encoded (they
/// are decoded by the loader, batch by batch); rows whose label is missing (key 0) are left out and counted.
/// </summary>
internal static class ImageRows
{
    /// <summary>The labelled images of <paramref name="data"/>; each is named "row N" (zero-based) in bad-image reports.</summary>
    public static (InMemoryImageDataset Dataset, int MissingLabels) ReadLabelled(IDataView data, DataViewSchema.Column image,
        DataViewSchema.Column label, IReadOnlyList<string> classNames, string role)
    {
        var images = new List<byte[]>();
        var labels = new List<int>();
        var names = new List<string>();
        int missing = 0;
        using var cursor = data.GetRowCursor([data.Schema[image.Index], data.Schema[label.Index]]);
        var readImage = ImageColumnReader.Create(cursor, data.Schema[image.Index]);
        var labelGetter = cursor.GetGetter<uint>(data.Schema[label.Index]);
        uint key = 0;
        long row = -1;
        while (cursor.MoveNext())
        {
            row++;
            labelGetter(ref key);
            if (key == 0 || key > classNames.Count)
            {
                missing++;
                continue;
            }
            images.Add(readImage() ?? []);
            labels.Add((int)key - 1);
            names.Add($"{role} row {row}");
        }
        return (InMemoryImageDataset.FromEncoded(images, labels, classNames, names), missing);
    }
}
