using TransferKit.Data.Datasets;

namespace TransferKit.Tests.Data.Datasets;

public sealed class Cifar10DatasetTests : IDisposable
{
    private readonly DatasetTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A record whose label is <paramref name="label"/> and whose pixel p has R = p, G = p + seed, B = 255 - p (mod 256).</summary>
    private static byte[] Record(int label, int seed)
    {
        var record = new byte[Cifar10Dataset.RecordBytes];
        record[0] = (byte)label;
        for (int p = 0; p < 1024; p++)
        {
            record[1 + p] = (byte)p;
            record[1 + 1024 + p] = (byte)(p + seed);
            record[1 + 2048 + p] = (byte)(255 - p);
        }

        return record;
    }

    private string WriteBatch(string name, params (int Label, int Seed)[] records) =>
        _folder.Write("cifar-10-batches-bin/" + name, [.. records.SelectMany(r => Record(r.Label, r.Seed))]);

    private void WriteAll()
    {
        for (int b = 1; b <= 5; b++)
        {
            WriteBatch($"data_batch_{b}.bin", (b, 10 * b), (9, (10 * b) + 1));
        }

        WriteBatch("test_batch.bin", (3, 100), (4, 101), (5, 102));
    }

    [Fact]
    public void Train_ReadsFiveBatchesInOrder_WithStandardNames()
    {
        WriteAll();

        var train = Cifar10Dataset.Load(_folder.Root); // the parent of cifar-10-batches-bin works too

        Assert.Equal(10, train.Count);
        Assert.Equal(Cifar10Dataset.StandardClassNames, train.ClassNames);
        Assert.Equal("airplane", train.ClassNames[0]);
        Assert.Equal([1, 9, 2, 9, 3, 9, 4, 9, 5, 9], Enumerable.Range(0, 10).Select(train.GetLabel));
        Assert.Equal(_folder.PathOf("cifar-10-batches-bin/data_batch_3.bin") + "#1", train.GetSourceName(5));

        var image = train.Decode(5); // batch 3, record 1: seed 31
        Assert.Equal((32, 32), (image.Width, image.Height));
        Assert.Equal(((byte)0, (byte)31, (byte)255), image.GetPixel(0, 0));
        Assert.Equal(((byte)(33 & 0xFF), (byte)(33 + 31), (byte)(255 - 33)), image.GetPixel(1, 1)); // p = 1 * 32 + 1
        Assert.Equal(((byte)(1023 & 0xFF), (byte)((1023 + 31) & 0xFF), (byte)((255 - 1023) & 0xFF)), image.GetPixel(31, 31));
    }

    [Fact]
    public void Test_UsesClassNamesFromBatchesMeta()
    {
        WriteAll();
        _folder.Write("cifar-10-batches-bin/batches.meta.txt",
            "a0\na1\na2\na3\na4\na5\na6\na7\na8\na9\n\n"u8.ToArray());

        var test = Cifar10Dataset.Load(_folder.PathOf("cifar-10-batches-bin"), Cifar10Split.Test);

        Assert.Equal(3, test.Count);
        Assert.Equal(10, test.ClassNames.Count);
        Assert.Equal("a3", test.ClassNames[test.GetLabel(0)]);
        Assert.Equal(_folder.PathOf("cifar-10-batches-bin/test_batch.bin"), Assert.Single(test.Files));
    }

    [Fact]
    public void WrongFileSize_IsATypedErrorNamingTheFile()
    {
        WriteAll();
        string bad = _folder.Write("cifar-10-batches-bin/data_batch_4.bin", [.. Record(1, 1), .. Record(2, 2), 0, 0]);

        var ex = Assert.Throws<DatasetException>(() => Cifar10Dataset.Load(_folder.Root));

        Assert.Equal(bad, ex.Path);
        Assert.StartsWith(bad + ": size 6,148 bytes is not a positive multiple of the 3073-byte", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2 whole records and 2 bytes over", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyOrMissingFile_IsATypedErrorNamingTheFile()
    {
        WriteAll();
        string empty = _folder.Write("cifar-10-batches-bin/test_batch.bin", []);
        Assert.Equal(empty, Assert.Throws<DatasetException>(() => Cifar10Dataset.Load(_folder.Root, Cifar10Split.Test)).Path);

        File.Delete(_folder.PathOf("cifar-10-batches-bin/data_batch_2.bin"));
        var missing = Assert.Throws<DatasetException>(() => Cifar10Dataset.Load(_folder.Root));
        Assert.Equal(_folder.PathOf("cifar-10-batches-bin/data_batch_2.bin"), missing.Path);
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelBeyondTheClasses_IsATypedErrorNamingFileAndRecord()
    {
        string file = WriteBatch("custom.bin", (0, 0), (10, 0));

        var ex = Assert.Throws<DatasetException>(() => Cifar10Dataset.LoadFiles([file]));

        Assert.Equal(file, ex.Path);
        Assert.Contains("record 1 has label 10", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, Cifar10Dataset.LoadFiles([file], [.. Enumerable.Range(0, 11).Select(i => $"c{i}")]).Count);
    }
}
