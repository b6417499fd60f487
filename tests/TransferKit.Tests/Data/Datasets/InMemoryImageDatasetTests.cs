using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;

namespace TransferKit.Tests.Data.Datasets;

public sealed class InMemoryImageDatasetTests
{
    [Fact]
    public void Encoded_DecodesOnAccess_AndReportsItsName()
    {
        var dataset = InMemoryImageDataset.FromEncoded(
            [DatasetTestFolder.TinyPng(5), DatasetTestFolder.TinyPng(9), []], [1, 0, 1], ["a", "b"], ["first", "second", "broken"]);

        Assert.Equal(3, dataset.Count);
        Assert.Equal(5, dataset.Decode(0).Pixels[0]);
        Assert.Equal(0, dataset.GetLabel(1));
        Assert.Equal("second", dataset.GetSourceName(1));
        var ex = Assert.Throws<ImageDecodeException>(() => dataset.Decode(2));
        Assert.Equal("broken", ex.SourceName);
        Assert.Equal(ImageDecodeFailure.Empty, ex.Failure);
    }

    [Fact]
    public void Decoded_ReturnsTheSameImage_UnlabelledByDefault()
    {
        var image = new DecodedImage(2, 1, [1, 2, 3, 4, 5, 6]);

        var dataset = InMemoryImageDataset.FromDecoded([image, image]);

        Assert.Same(image, dataset.Decode(1));
        Assert.False(dataset.IsLabeled);
        Assert.Equal(IImageDataset.NoLabel, dataset.GetLabel(0));
        Assert.Equal("memory#1", dataset.GetSourceName(1));
    }

    [Fact]
    public void Arguments_AreValidated()
    {
        var image = new DecodedImage(1, 1, [1, 2, 3]);
        Assert.Throws<ArgumentException>(() => InMemoryImageDataset.FromDecoded([image], [0, 1], ["a", "b"]));
        Assert.Throws<ArgumentException>(() => InMemoryImageDataset.FromDecoded([image], [2], ["a", "b"]));
        Assert.Throws<ArgumentException>(() => InMemoryImageDataset.FromDecoded([image], null, ["a"]));
        Assert.Throws<ArgumentException>(() => InMemoryImageDataset.FromDecoded([image], [0], ["a"], ["x", "y"]));
        Assert.Throws<ArgumentException>(() => InMemoryImageDataset.FromEncoded([null!]));
        Assert.Throws<ArgumentOutOfRangeException>(() => InMemoryImageDataset.FromDecoded([image]).Decode(1));
    }
}
