using TransferKit.Kernels.Elementwise;

namespace TransferKit.Tests.Kernels.Elementwise;

public unsafe class ChannelScaleKernelTests
{
    [Theory]
    [MemberData(nameof(ElementwiseKernelTests.NchwShapes), MemberType = typeof(ElementwiseKernelTests))]
    public void ForwardAndBackwardMatchNaiveAndAdd(int batch, int channels, int spatial)
    {
        var rng = new Random(batch * 977 + channels * 13 + spatial);
        int n = batch * channels * spatial, planes = batch * channels;
        var x = PointwiseTestData.Uniform(rng, n, -2f, 2f);
        var scale = PointwiseTestData.Uniform(rng, planes, 0f, 1f);
        var gradY = PointwiseTestData.Uniform(rng, n, -1f, 1f);
        var y = new float[n];
        var yNaive = new float[n];
        var gradX = PointwiseTestData.Uniform(rng, n, -1f, 1f);
        var gradScale = PointwiseTestData.Uniform(rng, planes, -1f, 1f);
        var gradXNaive = (float[])gradX.Clone();
        var gradScaleNaive = (float[])gradScale.Clone();
        var onlyX = (float[])gradX.Clone();
        var onlyScale = (float[])gradScale.Clone();
        fixed (float* px = x, ps = scale, pgy = gradY, py = y, pgx = gradX, pgs = gradScale, pox = onlyX, pos = onlyScale)
        {
            ChannelScaleKernel.Forward(batch, channels, spatial, px, ps, py);
            ChannelScaleKernel.Backward(batch, channels, spatial, px, ps, pgy, pgx, pgs);
            ChannelScaleKernel.Backward(batch, channels, spatial, px, ps, pgy, pox, null);
            ChannelScaleKernel.Backward(batch, channels, spatial, px, ps, pgy, null, pos);
            ChannelScaleKernel.Backward(batch, channels, spatial, px, ps, pgy, null, null);
        }
        NaiveElementwise.ChannelScaleForward(batch, channels, spatial, x, scale, yNaive);
        NaiveElementwise.ChannelScaleBackward(batch, channels, spatial, x, scale, gradY, gradXNaive, gradScaleNaive);
        Assert.Equal(yNaive, y);
        NumericAssert.KernelClose(gradXNaive, gradX, "gradX");
        NumericAssert.KernelClose(gradScaleNaive, gradScale, "gradScale");
        NumericAssert.KernelClose(gradXNaive, onlyX, "gradX alone");
        NumericAssert.KernelClose(gradScaleNaive, onlyScale, "gradScale alone");
    }
}
