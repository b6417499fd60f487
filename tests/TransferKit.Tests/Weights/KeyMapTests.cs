using TransferKit.Weights;

namespace TransferKit.Tests.Weights;

public class KeyMapTests
{
    [Fact]
    public void IdentityKeepsEveryKey()
    {
        Assert.True(KeyMap.Identity.IsIdentity);
        Assert.Equal("layer1.0.conv1.weight", KeyMap.Identity.Map("layer1.0.conv1.weight"));
        Assert.Same(KeyMap.Identity, TimmKeyMaps.ResNet);
    }

    [Fact]
    public void LongestWholeSegmentPrefixWins()
    {
        var map = KeyMap.FromRules("test", [
            new("bn1", "features.0.1"),
            new("blocks.0.0.bn1", "features.1.conv.0.1"),
            new("blocks.0", "stage0"),
            new("head.weight", "fc.weight"),
        ]);
        Assert.Equal("features.0.1.running_var", map.Map("bn1.running_var"));
        Assert.Equal("features.1.conv.0.1.bias", map.Map("blocks.0.0.bn1.bias"));
        Assert.Equal("stage0.1.conv_pw.weight", map.Map("blocks.0.1.conv_pw.weight"));
        Assert.Equal("fc.weight", map.Map("head.weight"));
        // Prefixes match whole segments only: "bn10" is not under "bn1", "blocks.01" not under "blocks.0".
        Assert.Equal("bn10.weight", map.Map("bn10.weight"));
        Assert.Equal("blocks.01.x", map.Map("blocks.01.x"));
        // A key inside another module keeps its name even when a segment equals a rule's source.
        Assert.Equal("blocks.1.0.bn1.weight", map.Map("blocks.1.0.bn1.weight"));
        Assert.Equal("head.bias", map.Map("head.bias"));
    }

    [Fact]
    public void RejectsRepeatedSourcesAndBadPaths()
    {
        var repeated = Assert.Throws<ArgumentException>(() => KeyMap.FromRules("m", [new("a", "b"), new("a", "c")]));
        Assert.Contains("'a'", repeated.Message);
        Assert.Throws<ArgumentException>(() => KeyMap.FromRules("m", [new("a.", "b")]));
        Assert.Throws<ArgumentException>(() => KeyMap.FromRules("m", [new("a", ".b")]));
        Assert.Throws<ArgumentException>(() => KeyMap.FromRules("m", [new("a..b", "c")]));
        Assert.Throws<ArgumentException>(() => KeyMap.FromRules("m", [new("", "c")]));
        Assert.Throws<ArgumentException>(() => KeyMap.FromRules("", []));
    }
}
