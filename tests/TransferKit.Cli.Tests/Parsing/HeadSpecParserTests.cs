using TransferKit.Cli.Parsing;
using TransferKit.Models;

namespace TransferKit.Cli.Tests.Parsing;

public sealed class HeadSpecParserTests
{
    [Fact]
    public void HiddenWidths_BatchNormAndDropout_BuildTheSeedArticlesHead()
    {
        var head = HeadSpecParser.Build(HeadSpecParser.ParseHidden("256,128, 64"), HeadSpecParser.ParsePooling("flatten"), 0.5f, batchNorm: true);

        Assert.Equal(HeadSpec.Flattened().Hidden(256, 128, 64).BatchNorm().Dropout(0.5f).Describe(10), head.Describe(10));
        Assert.All(head.HiddenLayers, h => Assert.True(h.BatchNorm && h.Dropout == 0.5f));
        Assert.Equal(0f, head.OutputDropout);
    }

    [Fact]
    public void NoHiddenLayers_PutsDropoutBeforeTheOutput()
    {
        var head = HeadSpecParser.Build(HeadSpecParser.ParseHidden("none"), HeadSpecParser.ParsePooling("MAX"), 0.2f, batchNorm: false);

        Assert.Empty(head.HiddenLayers);
        Assert.Equal(HeadPooling.Max, head.Pooling);
        Assert.Equal(0.2f, head.OutputDropout);
        Assert.Empty(HeadSpecParser.ParseHidden(""));
    }

    [Theory]
    [InlineData("256,")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("wide")]
    [InlineData("256;128")]
    public void BadWidths_AreRejected(string text) =>
        Assert.Contains($"got '{text}'", Assert.Throws<FormatException>(() => HeadSpecParser.ParseHidden(text)).Message);

    [Fact]
    public void BadPoolingAndBatchNormWithoutHiddenLayers_AreRejected()
    {
        Assert.Equal("expected one of avg, max, concat, flatten, got 'mean'.", Assert.Throws<FormatException>(() => HeadSpecParser.ParsePooling("mean")).Message);
        Assert.Throws<UsageException>(() => HeadSpecParser.Build([], HeadPooling.Average, 0, batchNorm: true));
    }
}
