using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;

namespace TransferKit.Tests.Data.Datasets;

public sealed class DatasetSplitTests
{
    private static readonly DecodedImage Pixel = new(1, 1, [0, 0, 0]);

    /// <summary>An in-memory dataset whose class k has counts[k] samples, interleaved.</summary>
    private static InMemoryImageDataset WithCounts(params int[] counts)
    {
        var labels = new List<int>();
        for (int round = 0; labels.Count < counts.Sum(); round++)
        {
            for (int k = 0; k < counts.Length; k++)
            {
                if (round < counts[k])
                {
                    labels.Add(k);
                }
            }
        }

        return InMemoryImageDataset.FromDecoded([.. labels.Select(_ => Pixel)], labels, [.. counts.Select((_, k) => $"c{k}")]);
    }

    private static int[] Counts(IImageDataset subset, int classes) =>
        [.. Enumerable.Range(0, classes).Select(k => Enumerable.Range(0, subset.Count).Count(i => subset.GetLabel(i) == k))];

    [Fact]
    public void Split_IsStratifiedDisjointAndComplete()
    {
        var dataset = WithCounts(100, 40, 7);

        DatasetSplit split = dataset.Split(0.7, 0.2, 0.1, seed: 3);

        Assert.Equal([70, 28, 5], Counts(split.Train, 3)); // round(7 * 0.7) = 5
        Assert.Equal([20, 8, 1], Counts(split.Validation, 3)); // round(7 * 0.9) - 5 = 1
        Assert.Equal([10, 4, 1], Counts(split.Test, 3));
        int[] all = [.. split.Train.Indices, .. split.Validation.Indices, .. split.Test.Indices];
        Assert.Equal(Enumerable.Range(0, dataset.Count), all.Order());
        Assert.Equal(split.Train.Indices.Order(), split.Train.Indices); // each part in index order
    }

    [Fact]
    public void Split_IsReproducibleBySeed()
    {
        var dataset = WithCounts(30, 30);

        var a = dataset.Split(0.5, 0.25, 0.25, seed: 11);
        var b = dataset.Split(0.5, 0.25, 0.25, seed: 11);
        var c = dataset.Split(0.5, 0.25, 0.25, seed: 12);

        Assert.Equal(a.Train.Indices, b.Train.Indices);
        Assert.Equal(a.Validation.Indices, b.Validation.Indices);
        Assert.NotEqual(a.Train.Indices, c.Train.Indices);
    }

    [Theory]
    [InlineData(0.0, 0.5, 0.5, "train")]
    [InlineData(0.8, 0.3, 0.0, "test")]
    [InlineData(0.5, 0.2, 0.2, "test")]
    [InlineData(0.9, -0.1, 0.2, "validation")]
    [InlineData(0.5, 0.5, double.NaN, "test")]
    [InlineData(1.5, 0.0, 0.0, "train")]
    public void Split_RejectsBadFractions(double train, double validation, double test, string parameter)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => WithCounts(5).Split(train, validation, test, seed: 0));
        Assert.Equal(parameter, ex.ParamName);
    }

    [Fact]
    public void Sample_TakesTheFractionOfEveryClass_Reproducibly()
    {
        var dataset = WithCounts(50, 25, 10);

        DatasetSubset sample = dataset.Sample(0.2, seed: 5);

        Assert.Equal([10, 5, 2], Counts(sample, 3));
        Assert.Equal(sample.Indices, dataset.Sample(0.2, seed: 5).Indices);
        Assert.NotEqual(sample.Indices, dataset.Sample(0.2, seed: 6).Indices);
        Assert.Equal(dataset.Count, dataset.Sample(1.0, seed: 1).Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.Sample(0, seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.Sample(1.01, seed: 1));
    }

    [Fact]
    public void Subsets_Compose_AndMapToTheParent()
    {
        var dataset = WithCounts(10, 10);
        var split = dataset.Sample(0.5, seed: 1).Split(0.6, 0.4, 0, seed: 2);

        Assert.Equal(6, split.Train.Count);
        Assert.Empty(split.Test.Indices);
        var parentOfParent = (DatasetSubset)split.Train.Parent;
        int original = parentOfParent.ParentIndex(split.Train.ParentIndex(0));
        Assert.Equal(dataset.GetLabel(original), split.Train.GetLabel(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.Subset([20]));
    }

    [Fact]
    public void Unlabelled_SplitsAsOneGroup()
    {
        var dataset = InMemoryImageDataset.FromDecoded([.. Enumerable.Repeat(Pixel, 10)]);

        var split = dataset.Split(0.8, 0.2, 0, seed: 0);

        Assert.Equal(8, split.Train.Count);
        Assert.Equal(2, split.Validation.Count);
        Assert.False(split.Train.IsLabeled);
    }
}
