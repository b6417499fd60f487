using TransferKit.Kernels.Pooling;

namespace TransferKit.Tests.Kernels.Pooling;

public unsafe class AdaptivePool2dKernelTests
{
    private static readonly int[] OutSizes = [1, 2, 3, 5, 7];

    [Theory]
    [InlineData(5, 3, new[] { 0, 1, 3 }, new[] { 2, 4, 5 })]
    [InlineData(2, 3, new[] { 0, 0, 1 }, new[] { 1, 2, 2 })]
    [InlineData(7, 7, new[] { 0, 1, 2, 3, 4, 5, 6 }, new[] { 1, 2, 3, 4, 5, 6, 7 })]
    [InlineData(10, 4, new[] { 0, 2, 5, 7 }, new[] { 3, 5, 8, 10 })]
    public void BinsAreFloorAndCeilOfTheScaledIndex(int input, int output, int[] starts, int[] ends)
    {
        for (int i = 0; i < output; i++)
        {
            Assert.Equal(starts[i], PoolingWork.BinStart(i, input, output));
            Assert.Equal(ends[i], PoolingWork.BinEnd(i, input, output));
        }
    }

    [Fact]
    public void AvgMatchesNaiveForInputs1To13AndOutputsIncludingLargerThanInput()
    {
        var rng = new Random(1);
        foreach ((int inH, int inW, int outH, int outW) in Sizes())
        {
            string what = $"{inH}x{inW} -> {outH}x{outW}";
            const int batch = 2, channels = 3;
            float[] x = PoolingTestData.Uniform(rng, batch * channels * inH * inW);
            float[] yFast = new float[batch * channels * outH * outW], yNaive = new float[yFast.Length];
            float[] gradY = PoolingTestData.Uniform(rng, yFast.Length);
            float[] gradFast = PoolingTestData.Uniform(rng, x.Length), gradNaive = (float[])gradFast.Clone();
            fixed (float* px = x, pyf = yFast, pyn = yNaive, pgy = gradY, pgf = gradFast, pgn = gradNaive)
            {
                AdaptiveAvgPool2dKernel.Forward(batch, channels, inH, inW, outH, outW, px, pyf);
                NaivePooling.AdaptiveAvgPool2dForward(batch, channels, inH, inW, outH, outW, px, pyn);
                AdaptiveAvgPool2dKernel.Backward(batch, channels, inH, inW, outH, outW, pgy, pgf);
                NaivePooling.AdaptiveAvgPool2dBackward(batch, channels, inH, inW, outH, outW, pgy, pgn);
            }
            NumericAssert.KernelClose(yNaive, yFast, what + " y");
            NumericAssert.KernelClose(gradNaive, gradFast, what + " gradX");
        }
    }

    [Fact]
    public void MaxMatchesNaiveForInputs1To13AndOutputsIncludingLargerThanInput()
    {
        var rng = new Random(2);
        foreach ((int inH, int inW, int outH, int outW) in Sizes())
        {
            string what = $"{inH}x{inW} -> {outH}x{outW}";
            const int batch = 2, channels = 3;
            float[] x = PoolingTestData.Uniform(rng, batch * channels * inH * inW);
            float[] yFast = new float[batch * channels * outH * outW], yNaive = new float[yFast.Length];
            int[] aFast = new int[yFast.Length], aNaive = new int[yFast.Length];
            float[] gradY = PoolingTestData.Uniform(rng, yFast.Length);
            float[] gradFast = PoolingTestData.Uniform(rng, x.Length), gradNaive = (float[])gradFast.Clone();
            fixed (float* px = x, pyf = yFast, pyn = yNaive, pgy = gradY, pgf = gradFast, pgn = gradNaive)
            fixed (int* paf = aFast, pan = aNaive)
            {
                AdaptiveMaxPool2dKernel.Forward(batch, channels, inH, inW, outH, outW, px, pyf, paf);
                NaivePooling.AdaptiveMaxPool2dForward(batch, channels, inH, inW, outH, outW, px, pyn, pan);
                AdaptiveMaxPool2dKernel.Backward(batch, channels, inH, inW, outH, outW, pgy, paf, pgf);
                NaivePooling.AdaptiveMaxPool2dBackward(batch, channels, inH, inW, outH, outW, pgy, pan, pgn);
            }
            Assert.True(yNaive.AsSpan().SequenceEqual(yFast), what + " y");
            Assert.True(aNaive.AsSpan().SequenceEqual(aFast), what + " argmax");
            NumericAssert.KernelClose(gradNaive, gradFast, what + " gradX");
        }
    }

    [Theory]
    [InlineData(7, 7)]
    [InlineData(64, 64)]
    [InlineData(1, 1)]
    public void GlobalPoolingIsPlaneMeanAndPlaneMax(int h, int w)
    {
        var rng = new Random(h);
        const int batch = 3, channels = 5;
        float[] x = PoolingTestData.Uniform(rng, batch * channels * h * w);
        float[] avg = new float[batch * channels], max = new float[batch * channels];
        int[] argmax = new int[batch * channels];
        fixed (float* px = x, pa = avg, pm = max)
        fixed (int* pi = argmax)
        {
            AdaptiveAvgPool2dKernel.Forward(batch, channels, h, w, 1, 1, px, pa);
            AdaptiveMaxPool2dKernel.Forward(batch, channels, h, w, 1, 1, px, pm, pi);
        }
        for (int p = 0; p < batch * channels; p++)
        {
            ReadOnlySpan<float> plane = x.AsSpan(p * h * w, h * w);
            double mean = 0;
            foreach (float v in plane) mean += v;
            mean /= plane.Length;
            Assert.Equal(mean, avg[p], 5);
            Assert.Equal(plane.ToArray().Max(), max[p]);
            Assert.Equal(plane.IndexOf(max[p]), argmax[p]);
        }
    }

    [Fact]
    public void AvgBackwardIsTheAdjointOfForward()
    {
        var rng = new Random(3);
        const int batch = 2, channels = 2, inH = 11, inW = 6, outH = 4, outW = 7;
        float[] x = PoolingTestData.Uniform(rng, batch * channels * inH * inW);
        float[] r = PoolingTestData.Uniform(rng, batch * channels * outH * outW);
        float[] y = new float[r.Length], gradX = new float[x.Length];
        fixed (float* px = x, py = y, pr = r, pgx = gradX)
        {
            AdaptiveAvgPool2dKernel.Forward(batch, channels, inH, inW, outH, outW, px, py);
            AdaptiveAvgPool2dKernel.Backward(batch, channels, inH, inW, outH, outW, pr, pgx);
        }
        Assert.Equal(PoolingTestData.Dot(y, r), PoolingTestData.Dot(x, gradX), 5);
    }

    [Fact]
    public void InvalidSizesAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AdaptiveAvgPool2dKernel.Forward(1, 1, 0, 3, 1, 1, null, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => AdaptiveMaxPool2dKernel.Forward(1, 1, 3, 3, 1, 0, null, null, null));
        Assert.Throws<ArgumentNullException>(() => AdaptiveAvgPool2dKernel.Forward(1, 1, 3, 3, 1, 1, null, null));
        AdaptiveAvgPool2dKernel.Forward(0, 4, 3, 3, 1, 1, null, null);
    }

    private static IEnumerable<(int InH, int InW, int OutH, int OutW)> Sizes()
    {
        for (int inH = 1; inH <= 13; inH++)
            foreach (int outH in OutSizes)
                foreach (int outW in OutSizes)
                    yield return (inH, (inH * 5 + outW) % 13 + 1, outH, outW);
    }
}
