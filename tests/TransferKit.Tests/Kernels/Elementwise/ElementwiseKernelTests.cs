using TransferKit.Kernels;
using TransferKit.Kernels.Elementwise;

namespace TransferKit.Tests.Kernels.Elementwise;

public unsafe class ElementwiseKernelTests
{
    [Fact]
    public void AddAddInPlaceAndScaleMatchNaiveForEveryLength()
    {
        var rng = new Random(1);
        foreach (int n in PointwiseTestData.SmallLengths.Append(PointwiseTestData.LargeLength))
        {
            var a = PointwiseTestData.Uniform(rng, n, -5f, 5f);
            var b = PointwiseTestData.Uniform(rng, n, -5f, 5f);
            var sum = NaiveElementwise.Add(a, b);
            var scaled = NaiveElementwise.Scale(a, -1.7f);
            var y = new float[n];
            var aliasA = (float[])a.Clone();
            var aliasB = (float[])b.Clone();
            var target = (float[])b.Clone();
            var scaledInPlace = (float[])a.Clone();
            var ys = new float[n];
            fixed (float* pa = a, pb = b, py = y, paa = aliasA, pab = aliasB, pt = target, ps = ys, psi = scaledInPlace)
            {
                ElementwiseKernel.Add(pa, pb, py, n);
                ElementwiseKernel.Add(paa, pb, paa, n);
                ElementwiseKernel.Add(pa, pab, pab, n);
                ElementwiseKernel.AddInPlace(pa, pt, n);
                ElementwiseKernel.Scale(pa, -1.7f, ps, n);
                ElementwiseKernel.Scale(psi, -1.7f, psi, n);
            }
            Assert.Equal(sum, y);
            Assert.Equal(sum, aliasA);
            Assert.Equal(sum, aliasB);
            Assert.Equal(sum, target);
            Assert.Equal(scaled, ys);
            Assert.Equal(scaled, scaledInPlace);
        }
    }

    public static TheoryData<int, int> MatrixShapes()
    {
        var data = new TheoryData<int, int>();
        foreach (int rows in new[] { 0, 1, 2, 3, 7, 9 })
            foreach (int cols in new[] { 0, 1, 5, 15, 16, 17, 33, 100 }) data.Add(rows, cols);
        data.Add(300, 1001); // parallel, column bands with a ragged last band
        data.Add(70_000, 3); // parallel with fewer columns than one band
        return data;
    }

    [Theory]
    [MemberData(nameof(MatrixShapes))]
    public void RowBiasAndItsGradientMatchNaive(int rows, int cols)
    {
        var rng = new Random(rows * 31 + cols);
        var bias = PointwiseTestData.Uniform(rng, cols, -1f, 1f);
        var y = PointwiseTestData.Uniform(rng, rows * cols, -1f, 1f);
        var yNaive = (float[])y.Clone();
        var grad = PointwiseTestData.Uniform(rng, cols, -1f, 1f);
        var gradNaive = (float[])grad.Clone();
        fixed (float* pb = bias, py = y, pg = grad)
        {
            ElementwiseKernel.AddRowBias(rows, cols, pb, py);
            ElementwiseKernel.SumRowsInto(rows, cols, py, pg);
        }
        NaiveElementwise.AddRowBias(rows, cols, bias, yNaive);
        NaiveElementwise.SumRowsInto(rows, cols, yNaive, gradNaive);
        Assert.Equal(yNaive, y);
        NumericAssert.KernelClose(gradNaive, grad, $"bias gradient {rows}x{cols}");
    }

    public static TheoryData<int, int, int> NchwShapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int batch in new[] { 0, 1, 2, 3 })
            foreach (int channels in new[] { 0, 1, 3, 8 })
                foreach (int spatial in new[] { 0, 1, 7, 16, 49 }) data.Add(batch, channels, spatial);
        data.Add(4, 32, 1001); // parallel
        return data;
    }

    [Theory]
    [MemberData(nameof(NchwShapes))]
    public void ChannelBiasAndItsGradientMatchNaive(int batch, int channels, int spatial)
    {
        var rng = new Random(batch * 1000 + channels * 50 + spatial);
        var bias = PointwiseTestData.Uniform(rng, channels, -1f, 1f);
        var y = PointwiseTestData.Uniform(rng, batch * channels * spatial, -1f, 1f);
        var yNaive = (float[])y.Clone();
        var grad = PointwiseTestData.Uniform(rng, channels, -1f, 1f);
        var gradNaive = (float[])grad.Clone();
        fixed (float* pb = bias, py = y, pg = grad)
        {
            ElementwiseKernel.AddChannelBias(batch, channels, spatial, pb, py);
            ElementwiseKernel.SumChannelsInto(batch, channels, spatial, py, pg);
        }
        NaiveElementwise.AddChannelBias(batch, channels, spatial, bias, yNaive);
        NaiveElementwise.SumChannelsInto(batch, channels, spatial, yNaive, gradNaive);
        Assert.Equal(yNaive, y);
        NumericAssert.KernelClose(gradNaive, grad, $"channel bias gradient {batch}x{channels}x{spatial}");
    }

    [Fact]
    public void BiasGradientsDoNotDependOnThreadCount()
    {
        const int rows = 256, cols = 1024;
        var gradY = PointwiseTestData.Uniform(new Random(2), rows * cols, -1f, 1f);
        float[] RowSums(int threads) => WithThreads(threads, () =>
        {
            var g = new float[cols];
            fixed (float* py = gradY, pg = g) ElementwiseKernel.SumRowsInto(rows, cols, py, pg);
            return g;
        });
        float[] ChannelSums(int threads) => WithThreads(threads, () =>
        {
            var g = new float[64];
            fixed (float* py = gradY, pg = g) ElementwiseKernel.SumChannelsInto(4, 64, rows * cols / 256, py, pg);
            return g;
        });
        Assert.Equal(RowSums(1), RowSums(2));
        Assert.Equal(RowSums(1), RowSums(3));
        Assert.Equal(ChannelSums(1), ChannelSums(3));
    }

    [Fact]
    public void NegativeSizesThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ElementwiseKernel.Add(null, null, null, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ElementwiseKernel.AddRowBias(-1, 2, null, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => ElementwiseKernel.SumChannelsInto(1, -2, 1, null, null));
    }

    internal static T WithThreads<T>(int threads, Func<T> body)
    {
        int saved = Parallelism.DegreeOfParallelism;
        Parallelism.DegreeOfParallelism = threads;
        try { return body(); }
        finally { Parallelism.DegreeOfParallelism = saved; }
    }
}
