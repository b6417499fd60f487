using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;
using TransferKit.Data.Synthetic;

namespace TransferKit.Samples;

/// <summary>In-memory renderings of the library's synthetic tasks, so an offline sample needs no image files.</summary>
public static class SyntheticDatasets
{
    /// <summary>Renders <paramref name="perClass"/> square images of <paramref name="size"/> pixels for each of the task's classes, class-interleaved.</summary>
    public static InMemoryImageDataset Render(SyntheticImageTask task, int perClass, int size, int seed)
    {
        ArgumentNullException.ThrowIfNull(task);
        var images = new List<DecodedImage>();
        var labels = new List<int>();
        for (int i = 0; i < perClass; i++)
        {
            for (int label = 0; label < task.ClassNames.Count; label++)
            {
                images.Add(task.Render(label, size, size, (seed * 1_000_003) + (i * 101) + label));
                labels.Add(label);
            }
        }
        return InMemoryImageDataset.FromDecoded(images, labels, task.ClassNames);
    }
}
