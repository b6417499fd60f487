using TransferKit.Kernels.Convolution;

namespace TransferKit.Tests.Kernels.Convolution;

public class Conv2dGeometryTests
{
    [Theory]
    // ResNet-50 stem: 224 -> 112; layer4 3x3: 7 -> 7; downsample 1x1 stride 2: 56 -> 28.
    [InlineData(224, 7, 2, 3, 1, 112)]
    [InlineData(7, 3, 1, 1, 1, 7)]
    [InlineData(56, 1, 2, 0, 1, 28)]
    // Floor division: 8 - 3 + 1 = 6 positions, stride 2 -> 3.
    [InlineData(8, 3, 2, 0, 1, 3)]
    // Dilation 2 makes a 3x3 kernel span 5 pixels.
    [InlineData(9, 3, 1, 0, 2, 5)]
    [InlineData(1, 3, 1, 1, 1, 1)]
    public void OutputSizeFollowsPyTorch(int size, int kernel, int stride, int pad, int dilation, int expected)
    {
        var g = new Conv2dGeometry(1, 1, size, size + 1, 1, kernel, kernel, stride, stride, pad, pad, dilation, dilation);
        g.Validate();
        Assert.Equal(expected, g.OutHeight);
        Assert.Equal((size + 1 + 2 * pad - dilation * (kernel - 1) - 1) / stride + 1, g.OutWidth);
    }

    [Fact]
    public void LengthsAndFlops()
    {
        var g = new Conv2dGeometry(8, 64, 56, 56, 128, 3, 3, PadHeight: 1, PadWidth: 1, Groups: 2);
        Assert.Equal(8 * 64 * 56 * 56, g.InputLength);
        Assert.Equal(8 * 128 * 56 * 56, g.OutputLength);
        Assert.Equal(128 * 32 * 9, g.WeightLength);
        Assert.Equal(32, g.InChannelsPerGroup);
        Assert.Equal(64, g.OutChannelsPerGroup);
        Assert.Equal(2L * 8 * 128 * 56 * 56 * 32 * 9, g.Flops);
    }

    /// <summary>Invalid geometries keyed by the message they must raise, with the field it must name.</summary>
    private static readonly Dictionary<string, (Conv2dGeometry Geometry, string Field)> s_invalid = new()
    {
        ["Groups (3) must divide InChannels (8)"] = (new(1, 8, 5, 5, 6, 3, 3, Groups: 3), "Groups"),
        ["Groups (3) must divide OutChannels (8)"] = (new(1, 6, 5, 5, 8, 3, 3, Groups: 3), "Groups"),
        ["Batch (0) must be positive"] = (new(0, 1, 5, 5, 1, 3, 3), "Batch"),
        ["InChannels (0) must be positive"] = (new(1, 0, 5, 5, 1, 3, 3), "InChannels"),
        ["InHeight (-2) must be positive"] = (new(1, 1, -2, 5, 1, 3, 3), "InHeight"),
        ["InWidth (0) must be positive"] = (new(1, 1, 5, 0, 1, 3, 3), "InWidth"),
        ["OutChannels (0) must be positive"] = (new(1, 1, 5, 5, 0, 3, 3), "OutChannels"),
        ["KernelHeight (0) must be positive"] = (new(1, 1, 5, 5, 1, 0, 3), "KernelHeight"),
        ["KernelWidth (-1) must be positive"] = (new(1, 1, 5, 5, 1, 3, -1), "KernelWidth"),
        ["StrideHeight (0) must be positive"] = (new(1, 1, 5, 5, 1, 3, 3, StrideHeight: 0), "StrideHeight"),
        ["StrideWidth (0) must be positive"] = (new(1, 1, 5, 5, 1, 3, 3, StrideWidth: 0), "StrideWidth"),
        ["DilationHeight (0) must be positive"] = (new(1, 1, 5, 5, 1, 3, 3, DilationHeight: 0), "DilationHeight"),
        ["DilationWidth (0) must be positive"] = (new(1, 1, 5, 5, 1, 3, 3, DilationWidth: 0), "DilationWidth"),
        ["Groups (0) must be positive"] = (new(1, 1, 5, 5, 1, 3, 3, Groups: 0), "Groups"),
        ["PadHeight (-1) must not be negative"] = (new(1, 1, 5, 5, 1, 3, 3, PadHeight: -1), "PadHeight"),
        ["PadWidth (-1) must not be negative"] = (new(1, 1, 5, 5, 1, 3, 3, PadWidth: -1), "PadWidth"),
        ["OutHeight would be < 1"] = (new(1, 1, 2, 5, 1, 3, 3), "KernelHeight"),
        ["OutWidth would be < 1"] = (new(1, 1, 5, 4, 1, 3, 3, DilationWidth: 2), "KernelWidth"),
        ["The input tensor would have 274877906944 elements"] = (new(1 << 16, 1 << 10, 64, 64, 1, 1, 1), "InputLength"),
    };

    public static TheoryData<string> InvalidMessages => new(s_invalid.Keys);

    [Theory]
    [MemberData(nameof(InvalidMessages))]
    public void ValidateNamesTheOffendingField(string message)
    {
        var (g, field) = s_invalid[message];
        var ex = Assert.Throws<ArgumentException>(g.Validate);
        Assert.Equal(field, ex.ParamName);
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void PaddingLetsAKernelLargerThanTheInputFit()
    {
        // 2 + 2*1 = 4 padded rows hold a 3-row kernel: PyTorch accepts this and so do we.
        var g = new Conv2dGeometry(1, 1, 2, 2, 1, 3, 3, PadHeight: 1, PadWidth: 1);
        g.Validate();
        Assert.Equal(2, g.OutHeight);
    }
}
