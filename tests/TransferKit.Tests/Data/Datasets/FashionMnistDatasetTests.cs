using System.Buffers.Binary;
using System.IO.Compression;
using TransferKit.Data.Datasets;

namespace TransferKit.Tests.Data.Datasets;

public sealed class FashionMnistDatasetTests : IDisposable
{
    private readonly DatasetTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>An unsigned-byte IDX file: magic 00 00 08 n, big-endian sizes, then <paramref name="values"/>.</summary>
    private static byte[] Idx(int[] dimensions, byte[] values)
    {
        var bytes = new byte[4 + (4 * dimensions.Length) + values.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dimensions.Length;
        for (int d = 0; d < dimensions.Length; d++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 + (4 * d)), (uint)dimensions[d]);
        }

        values.CopyTo(bytes, 4 + (4 * dimensions.Length));
        return bytes;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>Three 2x3 images whose pixel p of image i is 10 * i + p, labelled 7, 0 and 9.</summary>
    private static (byte[] Images, byte[] Labels) ThreeImages() =>
        (Idx([3, 2, 3], [.. Enumerable.Range(0, 18).Select(v => (byte)((10 * (v / 6)) + (v % 6)))]), Idx([3], [7, 0, 9]));

    [Fact]
    public void Load_ReadsPlainAndGzipFiles_AsGreyReplicatedIntoRgb()
    {
        var (images, labels) = ThreeImages();
        _folder.Write("plain/train-images-idx3-ubyte", images);
        _folder.Write("plain/train-labels-idx1-ubyte", labels);
        _folder.Write("gz/t10k-images-idx3-ubyte.gz", Gzip(images));
        _folder.Write("gz/t10k-labels-idx1-ubyte.gz", Gzip(labels));

        foreach (var data in new[] { FashionMnistDataset.Load(_folder.PathOf("plain")), FashionMnistDataset.Load(_folder.PathOf("gz"), FashionMnistSplit.Test) })
        {
            Assert.Equal(3, data.Count);
            Assert.Equal((2, 3), (data.Height, data.Width));
            Assert.Equal(FashionMnistDataset.StandardClassNames, data.ClassNames);
            Assert.Equal([7, 0, 9], Enumerable.Range(0, 3).Select(data.GetLabel));
            var image = data.Decode(1);
            Assert.Equal((3, 2), (image.Width, image.Height));
            Assert.Equal([10, 10, 10, 11, 11, 11, 12, 12, 12, 13, 13, 13, 14, 14, 14, 15, 15, 15], image.Pixels);
            Assert.EndsWith("#2", data.GetSourceName(2), StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, byte[], byte[], string> DamagedFiles()
    {
        var (images, labels) = ThreeImages();
        byte[] badMagic = [.. images];
        badMagic[2] = 0x0D; // float data
        byte[] absurd = [.. images];
        BinaryPrimitives.WriteUInt32BigEndian(absurd.AsSpan(4), 0x7FFF_FFFF);
        return new()
        {
            { "truncated images", images[..^1], labels, "truncated" },
            { "extra bytes", [.. images, 1], labels, "more than" },
            { "not unsigned-byte IDX", badMagic, labels, "magic" },
            { "absurd header", absurd, labels, "claims more than" },
            { "labels as images", labels, labels, "1 dimensions where 3" },
            { "count mismatch", images, Idx([2], [1, 2]), "2 labels but" },
            { "label out of range", images, Idx([3], [1, 10, 2]), "label 1 is 10" },
            { "empty file", [], labels, "ends before" },
        };
    }

    [Theory]
    [MemberData(nameof(DamagedFiles))]
    public void LoadFiles_RefusesDamagedFiles_NamingTheFileAndReason(string what, byte[] images, byte[] labels, string reason)
    {
        string imagesPath = _folder.Write("images", images), labelsPath = _folder.Write("labels", labels);

        var ex = Assert.Throws<DatasetException>(() => FashionMnistDataset.LoadFiles(imagesPath, labelsPath));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Path == imagesPath || ex.Path == labelsPath, what);
    }

    [Fact]
    public void Load_NamesAMissingFile()
    {
        Directory.CreateDirectory(_folder.PathOf("empty"));

        var ex = Assert.Throws<DatasetException>(() => FashionMnistDataset.Load(_folder.PathOf("empty")));

        Assert.EndsWith("train-images-idx3-ubyte", ex.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void SplitPerClass_TakesExactCountsOfEveryClass_AndTheRestAsTest()
    {
        var (images, labels) = (Idx([12, 1, 1], new byte[12]), Idx([12], [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]));
        var data = FashionMnistDataset.LoadFiles(_folder.Write("i", images), _folder.Write("l", labels), ["a", "b", "c"]);

        var split = data.SplitPerClass(train: 2, validation: 1, seed: 5);

        Assert.Equal([2, 2, 2], split.Train.CountPerClass());
        Assert.Equal([1, 1, 1], split.Validation.CountPerClass());
        Assert.Equal([1, 1, 1], split.Test.CountPerClass());
        Assert.Equal(split.Train.Indices, data.SplitPerClass(2, 1, seed: 5).Train.Indices);
        Assert.Equal(split.Train.Indices, data.SamplePerClass(2, seed: 5).Indices);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => data.SplitPerClass(3, 2, seed: 5));
        Assert.Contains("class 'a' has 4 samples", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DebiansFashionMnist_LoadsBothSplitsWhenInstalled()
    {
        // CI installs dataset-fashion-mnist; elsewhere this reads whatever copy is there or checks the error.
        if (!Directory.Exists(FashionMnistDataset.DebianDirectory))
        {
            Assert.Throws<DatasetException>(() => FashionMnistDataset.Load());
            return;
        }

        var train = FashionMnistDataset.Load();
        var test = FashionMnistDataset.Load(split: FashionMnistSplit.Test);

        Assert.Equal((60_000, 10_000), (train.Count, test.Count));
        Assert.Equal([.. Enumerable.Repeat(6_000, 10)], train.CountPerClass());
        Assert.Equal([.. Enumerable.Repeat(1_000, 10)], test.CountPerClass());
        Assert.Equal((28, 28), (train.Height, train.Width));
    }
}
