using TransferKit.Cli.Parsing;

namespace TransferKit.Cli.Tests.Parsing;

public sealed class ValueParsersTests
{
    [Fact]
    public void Numbers_ParseInTheInvariantCultureWithinTheirRanges()
    {
        Assert.Equal(3, ValueParsers.PositiveInt("3"));
        Assert.Equal(-7, ValueParsers.Int("-7"));
        Assert.Equal(1e-4, ValueParsers.PositiveNumber("1e-4"));
        Assert.Equal(0.25, ValueParsers.FractionAboveZero("0.25"));
        Assert.Equal(1, ValueParsers.FractionAboveZero("1"));
        Assert.Equal(0, ValueParsers.FractionBelowOne("0"));

        Assert.Throws<FormatException>(() => ValueParsers.PositiveInt("0"));
        Assert.Throws<FormatException>(() => ValueParsers.PositiveInt("+3"));
        Assert.Throws<FormatException>(() => ValueParsers.PositiveNumber("0"));
        Assert.Throws<FormatException>(() => ValueParsers.PositiveNumber("NaN"));
        Assert.Throws<FormatException>(() => ValueParsers.PositiveNumber("0,001"));
        Assert.Throws<FormatException>(() => ValueParsers.FractionAboveZero("0"));
        Assert.Throws<FormatException>(() => ValueParsers.FractionBelowOne("1"));
    }

    [Fact]
    public void Lists_RejectEmptyAndRepeatedEntries()
    {
        Assert.Equal([32, 64], ValueParsers.PositiveIntList("32, 64"));
        Assert.Equal(["a", "b"], ValueParsers.NameList(" a ,b"));
        Assert.Throws<FormatException>(() => ValueParsers.NameList(" , "));
        Assert.Equal("'A' is listed twice.", Assert.Throws<FormatException>(() => ValueParsers.NameList("A,a")).Message);
    }

    [Fact]
    public void Architectures_IncludeTheBaselineAndRejectUnknownNamesListingTheKnownOnes()
    {
        Assert.True(ArchitectureChoice.Parse("baseline").IsBaseline);
        Assert.True(ArchitectureChoice.Parse("baseline_cnn").IsBaseline);
        Assert.Equal("resnet50", ArchitectureChoice.Parse("ResNet50").Info!.Name);
        Assert.Equal(["baseline", "mobilenet_v2"], ArchitectureChoice.ParseList("baseline,mobilenet_v2").Select(c => c.Name));
        Assert.Equal(["features.0", "features.1"], ArchitectureChoice.Parse("baseline").UnitNames(2));

        var e = Assert.Throws<FormatException>(() => ArchitectureChoice.Parse("alexnet"));
        Assert.Equal($"unknown architecture 'alexnet'; choose one of {string.Join(", ", ArchitectureChoice.Names)}.", e.Message);
        Assert.Throws<FormatException>(() => ArchitectureChoice.ParseList("resnet18,baseline,RESNET18"));
    }

    [Fact]
    public void Weights_AreAPathOrAnHttpUrl()
    {
        Assert.False(WeightsChoice.Parse("models/r18.safetensors").IsUrl);
        Assert.Equal("https://example.org/r18.safetensors", WeightsChoice.Parse("https://example.org/r18.safetensors").Url!.ToString());
        Assert.Throws<FormatException>(() => WeightsChoice.Parse("ftp://example.org/r18.safetensors"));
        Assert.Throws<FormatException>(() => WeightsChoice.Parse(" "));
    }
}
