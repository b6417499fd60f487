using TransferKit.Kernels.Pooling;

namespace TransferKit.Tests.Kernels.Pooling;

public class Pool2dGeometryTests
{
    [Theory]
    // ResNet stem max pool: 3x3 / 2, pad 1.
    [InlineData(112, 3, 2, 1, false, 56)]
    // Inception v3 max pools: 3x3 / 2, no padding.
    [InlineData(147, 3, 2, 0, false, 73)]
    [InlineData(71, 3, 2, 0, false, 35)]
    [InlineData(35, 3, 2, 0, false, 17)]
    // GoogLeNet pools with ceil_mode=True: 112 -> 56 where floor would give 55.
    [InlineData(112, 3, 2, 0, true, 56)]
    [InlineData(112, 3, 2, 0, false, 55)]
    // Ceil mode adds a partial last window only when it starts inside the input or its left padding.
    [InlineData(5, 2, 2, 0, true, 3)]
    [InlineData(5, 2, 2, 0, false, 2)]
    [InlineData(5, 2, 2, 1, true, 3)]
    [InlineData(5, 2, 2, 1, false, 3)]
    [InlineData(6, 3, 2, 1, true, 4)]
    [InlineData(6, 3, 2, 1, false, 3)]
    [InlineData(1, 1, 3, 0, true, 1)]
    [InlineData(7, 7, 1, 0, false, 1)]
    public void OutputSizeFollowsPyTorch(int input, int kernel, int stride, int pad, bool ceil, int expected)
    {
        var g = new Pool2dGeometry(1, 1, input, input + 1, kernel, kernel, stride, stride, pad, pad, ceil);
        g.Validate();
        Assert.Equal(expected, g.OutHeight);
        Assert.Equal(new Pool2dGeometry(1, 1, 1, input, 1, kernel, 1, stride, 0, pad, ceil).OutWidth, expected);
    }

    [Fact]
    public void ValidateNamesTheOffendingField()
    {
        AssertParam(nameof(Pool2dGeometry.PadHeight), new Pool2dGeometry(1, 1, 8, 8, 3, 3, 1, 1, PadHeight: 2));
        AssertParam(nameof(Pool2dGeometry.PadWidth), new Pool2dGeometry(1, 1, 8, 8, 2, 2, 1, 1, PadWidth: 2));
        AssertParam(nameof(Pool2dGeometry.PadWidth), new Pool2dGeometry(1, 1, 8, 8, 3, 3, 1, 1, PadWidth: -1));
        AssertParam(nameof(Pool2dGeometry.KernelHeight), new Pool2dGeometry(1, 1, 2, 8, 3, 3, 1, 1));
        AssertParam(nameof(Pool2dGeometry.KernelWidth), new Pool2dGeometry(1, 1, 8, 2, 3, 3, 1, 1));
        AssertParam(nameof(Pool2dGeometry.KernelWidth), new Pool2dGeometry(1, 1, 8, 8, 3, 0, 1, 1));
        AssertParam(nameof(Pool2dGeometry.StrideHeight), new Pool2dGeometry(1, 1, 8, 8, 3, 3, 0, 1));
        AssertParam(nameof(Pool2dGeometry.StrideWidth), new Pool2dGeometry(1, 1, 8, 8, 3, 3, 1, -2));
        AssertParam(nameof(Pool2dGeometry.InHeight), new Pool2dGeometry(1, 1, 0, 8, 1, 1, 1, 1));
        AssertParam(nameof(Pool2dGeometry.Batch), new Pool2dGeometry(-1, 1, 8, 8, 1, 1, 1, 1));
        AssertParam(nameof(Pool2dGeometry.Channels), new Pool2dGeometry(1, -1, 8, 8, 1, 1, 1, 1));
        new Pool2dGeometry(0, 0, 3, 3, 3, 3, 1, 1, 1, 1).Validate();
    }

    private static void AssertParam(string name, Pool2dGeometry g)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(g.Validate);
        Assert.Equal(name, ex.ParamName);
    }
}
