using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;
using TransferKit.Data.Synthetic;

namespace TransferKit.Tests.Api;

/// <summary>In-memory renderings of the synthetic source and target tasks, so API tests need no files.</summary>
internal static class SyntheticTasks
{
    public static InMemoryImageDataset Render(SyntheticImageTask task, int perClass, int size, int seed)
    {
        var images = new List<DecodedImage>();
        var labels = new List<int>();
        for (int i = 0; i < perClass; i++)
        {
            for (int label = 0; label < task.ClassNames.Count; label++)
            {
                images.Add(task.Render(label, size, size, seed * 1_000_003 + i * 101 + label));
                labels.Add(label);
            }
        }
        return InMemoryImageDataset.FromDecoded(images, labels, task.ClassNames);
    }
}
