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

    public static TheoryData<Conv2dGeometry, string, string> Invalid => new()
    {
        { new(1, 8, 5, 5, 6, 3, 3, Groups: 3), "Groups", "Groups (3) must divide InChannels (8)" },
        { new(1, 6, 5, 5, 8, 3, 3, Groups: 3), "Groups", "Groups (3) must divide OutChannels (8)" },
        { new(0, 1, 5, 5, 1, 3, 3), "Batch", "Batch (0) must be positive" },
        { new(1, 0, 5, 5, 1, 3, 3), "InChannels", "InChannels (0) must be positive" },
        { new(1, 1, -2, 5, 1, 3, 3), "InHeight", "InHeight (-2) must be positive" },
        { new(1, 1, 5, 0, 1, 3, 3), "InWidth", "InWidth (0) must be positive" },
        { new(1, 1, 5, 5, 0, 3, 3), "OutChannels", "OutChannels (0) must be positive" },
        { new(1, 1, 5, 5, 1, 0, 3), "KernelHeight", "KernelHeight (0) must be positive" },
        { new(1, 1, 5, 5, 1, 3, -1), "KernelWidth", "KernelWidth (-1) must be positive" },
        { new(1, 1, 5, 5, 1, 3, 3, StrideHeight: 0), "StrideHeight", "StrideHeight (0) must be positive" },
        { new(1, 1, 5, 5, 1, 3, 3, StrideWidth: 0), "StrideWidth", "StrideWidth (0) must be positive" },
        { new(1, 1, 5, 5, 1, 3, 3, DilationHeight: 0), "DilationHeight", "DilationHeight (0) must be positive" },
        { new(1, 1, 5, 5, 1, 3, 3, DilationWidth: 0), "DilationWidth", "DilationWidth (0) must be positive" },
        { new(1, 1, 5, 5, 1, 3, 3, Groups: 0), "Groups", "Groups (0) must be positive" },
        { new(1, 1, 5, 5, 1, 3, 3, PadHeight: -1), "PadHeight", "PadHeight (-1) must not be negative" },
        { new(1, 1, 5, 5, 1, 3, 3, PadWidth: -1), "PadWidth", "PadWidth (-1) must not be negative" },
        { new(1, 1, 2, 5, 1, 3, 3), "KernelHeight", "OutHeight would be < 1" },
        { new(1, 1, 5, 4, 1, 3, 3, DilationWidth: 2), "KernelWidth", "OutWidth would be < 1" },
        { new(1 << 16, 1 << 10, 64, 64, 1, 1, 1), "InputLength", "input tensor" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void ValidateNamesTheOffendingField(Conv2dGeometry g, string field, string message)
    {
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
