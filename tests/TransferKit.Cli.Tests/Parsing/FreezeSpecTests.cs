using TransferKit.Cli.Parsing;
using TransferKit.Models;

namespace TransferKit.Cli.Tests.Parsing;

public sealed class FreezeSpecTests
{
    [Theory]
    [InlineData("backbone", 4)]
    [InlineData("BACKBONE", 4)]
    [InlineData("none", 0)]
    [InlineData("0", 0)]
    [InlineData("3", 3)]
    [InlineData("1", 1)]     // a whole number counts units ...
    [InlineData("1.0", 4)]   // ... a decimal is a fraction of them
    [InlineData("0.5", 2)]
    [InlineData("0.8", 3)]   // floor(0.8 * 4)
    [InlineData("last:1", 3)]
    [InlineData("last:4", 0)]
    [InlineData("upto:features.1", 2)]
    [InlineData(" upto:features.3 ", 4)]
    public void EveryForm_ResolvesToTheFrozenUnitCount(string text, int frozen)
    {
        using var network = new BaselineCnn(new BaselineCnnOptions { Channels = [4, 4, 4, 4] });

        var spec = FreezeSpec.Parse(text);

        Assert.Equal(frozen, spec.ToFreezeDepth().Resolve(network));
        Assert.Equal(text.Trim(), spec.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("all")]
    [InlineData("-1")]
    [InlineData("last:")]
    [InlineData("last:x")]
    [InlineData("last:-2")]
    [InlineData("upto:")]
    [InlineData("1.5")]
    [InlineData("0,8")]
    public void OtherText_IsRejectedWithTheAcceptedForms(string text)
    {
        var e = Assert.Throws<FormatException>(() => FreezeSpec.Parse(text));

        Assert.Contains(text.Length == 0 || text == "1.5" ? "" : $"'{text}'", e.Message);
        if (text != "1.5") Assert.Contains(FreezeSpec.Forms, e.Message);
    }

    [Fact]
    public void CheckAgainst_NamesTheUnitsWhenTheSpecDoesNotFit()
    {
        IReadOnlyList<string> units = Architectures.ResNet18.Units;

        FreezeSpec.Parse("5").CheckAgainst("--freeze", "resnet18", units);
        FreezeSpec.Parse("last:5").CheckAgainst("--freeze", "resnet18", units);
        FreezeSpec.Parse("upto:layer3").CheckAgainst("--freeze", "resnet18", units);
        FreezeSpec.Parse("0.9").CheckAgainst("--freeze", "resnet18", units);

        var tooMany = Assert.Throws<UsageException>(() => FreezeSpec.Parse("6").CheckAgainst("--freeze", "resnet18", units));
        Assert.Equal("--freeze 6: resnet18 has 5 units: stem, layer1, layer2, layer3, layer4.", tooMany.Message);
        var noSuchUnit = Assert.Throws<UsageException>(() => FreezeSpec.Parse("upto:layer5").CheckAgainst("--unfreeze", "resnet18", units));
        Assert.StartsWith("--unfreeze upto:layer5: no unit is called 'layer5'", noSuchUnit.Message);
        Assert.Throws<UsageException>(() => FreezeSpec.Parse("last:6").CheckAgainst("--freeze", "resnet18", units));
    }
}
