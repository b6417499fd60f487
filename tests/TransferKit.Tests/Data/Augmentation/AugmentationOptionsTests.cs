using TransferKit.Data.Augmentation;

namespace TransferKit.Tests.Data.Augmentation;

public sealed class AugmentationOptionsTests
{
    [Fact]
    public void EverythingIsOffByDefault()
    {
        var options = new AugmentationOptions();
        Assert.False(options.IsEnabled);
        Assert.Equal(AugmentationOptions.None, options);
        Assert.Equal((0.08, 1.0), options.CropScale);
        Assert.Equal((0.02, 0.33), options.ErasingScale);
        options.Validate();
        AugmentationOptions.Standard.Validate();
        Assert.True(AugmentationOptions.Standard.IsEnabled);
    }

    public static TheoryData<AugmentationOptions, string> Invalid => new()
    {
        { new() { HorizontalFlipProbability = 1.5 }, nameof(AugmentationOptions.HorizontalFlipProbability) },
        { new() { CropScale = (0.5, 0.2) }, nameof(AugmentationOptions.CropScale) },
        { new() { CropScale = (0.0, 1.0) }, nameof(AugmentationOptions.CropScale) },
        { new() { CropRatio = (-1, 2) }, nameof(AugmentationOptions.CropRatio) },
        { new() { RotationDegrees = 200 }, nameof(AugmentationOptions.RotationDegrees) },
        { new() { Brightness = -0.1 }, nameof(AugmentationOptions.Brightness) },
        { new() { Contrast = double.NaN }, nameof(AugmentationOptions.Contrast) },
        { new() { Saturation = double.PositiveInfinity }, nameof(AugmentationOptions.Saturation) },
        { new() { ErasingProbability = -0.5 }, nameof(AugmentationOptions.ErasingProbability) },
        { new() { ErasingScale = (0.1, 1.0) }, nameof(AugmentationOptions.ErasingScale) },
        { new() { ErasingRatio = (3.3, 0.3) }, nameof(AugmentationOptions.ErasingRatio) },
        { new() { ErasingValue = float.NaN }, nameof(AugmentationOptions.ErasingValue) },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void ValidateNamesTheOption(AugmentationOptions options, string name)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(name, e.ParamName);
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
    }
}
