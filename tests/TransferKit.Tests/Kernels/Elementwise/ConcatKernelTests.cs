using TransferKit.Kernels.Elementwise;

namespace TransferKit.Tests.Kernels.Elementwise;

public unsafe class ConcatKernelTests
{
    public static TheoryData<int, int[], int> Shapes() => new()
    {
        { 1, [1], 1 },
        { 2, [3, 5], 7 },
        { 3, [1, 0, 2, 4], 9 },
        { 0, [2, 2], 4 },
        { 2, [64, 96, 32, 32], 35 * 35 }, // Inception-A branch widths at 35x35: parallel over the batch
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardMatchesNaiveAndBackwardAddsIntoEachInputSkippingZeros(int batch, int[] channels, int spatial)
    {
        var rng = new Random(batch + channels.Length * 7 + spatial);
        int total = channels.Sum();
        var inputs = channels.Select(c => PointwiseTestData.Uniform(rng, batch * c * spatial, -1f, 1f)).ToArray();
        var gradY = PointwiseTestData.Uniform(rng, batch * total * spatial, -1f, 1f);
        var grads = channels.Select(c => PointwiseTestData.Uniform(rng, batch * c * spatial, -1f, 1f)).ToArray();
        var before = grads.Select(g => (float[])g.Clone()).ToArray();
        var y = new float[batch * total * spatial];

        var handles = inputs.Concat(grads).Select(a => System.Runtime.InteropServices.GCHandle.Alloc(a, System.Runtime.InteropServices.GCHandleType.Pinned)).ToArray();
        try
        {
            var inputPointers = handles.Take(inputs.Length).Select(h => h.AddrOfPinnedObject()).ToArray();
            // The last input's gradient is not wanted: a zero pointer.
            var gradPointers = handles.Skip(inputs.Length).Select(h => h.AddrOfPinnedObject()).ToArray();
            gradPointers[^1] = 0;
            fixed (float* py = y, pg = gradY)
            {
                ConcatKernel.Forward(batch, channels, spatial, inputPointers, py);
                ConcatKernel.Backward(batch, channels, spatial, pg, gradPointers);
            }
        }
        finally
        {
            foreach (var h in handles) h.Free();
        }

        Assert.Equal(NaiveElementwise.Concat(batch, channels, spatial, inputs), y);
        // Splitting gradY the way forward joined the inputs: each expected gradient is its old value plus its band.
        for (int i = 0; i < channels.Length; i++)
        {
            if (i == channels.Length - 1)
            {
                Assert.Equal(before[i], grads[i]);
                continue;
            }
            var expected = (float[])before[i].Clone();
            int offset = channels.Take(i).Sum();
            for (int n = 0; n < batch; n++)
                for (int c = 0; c < channels[i]; c++)
                    for (int s = 0; s < spatial; s++)
                        expected[(n * channels[i] + c) * spatial + s] += gradY[(n * total + offset + c) * spatial + s];
            Assert.Equal(expected, grads[i]);
        }
    }

    [Fact]
    public void MismatchedCountsThrow()
    {
        nint[] one = [0];
        Assert.Throws<ArgumentException>(() => ConcatKernel.Forward(1, [1, 2], 1, one, null));
        Assert.Throws<ArgumentException>(() => ConcatKernel.Backward(1, [1, 2], 1, null, one));
    }

    [Theory]
    [InlineData(1, 3, 5, 7, 0)]
    [InlineData(2, 2, 9, 6, 4)]
    [InlineData(3, 1, 4, 1, 0)]
    public void CopyBandWritesOnlyItsChannels(int batch, int channels, int spatial, int total, int offset)
    {
        var rng = new Random(channels * 13 + offset);
        float[] x = PointwiseTestData.Uniform(rng, batch * channels * spatial, -1f, 1f);
        float[] y = PointwiseTestData.Uniform(rng, batch * total * spatial, -1f, 1f), before = (float[])y.Clone();
        fixed (float* px = x, py = y) ConcatKernel.CopyBand(batch, channels, spatial, px, py, total, offset);
        for (int n = 0; n < batch; n++)
        for (int c = 0; c < total; c++)
        for (int s = 0; s < spatial; s++)
        {
            int at = (n * total + c) * spatial + s;
            float expected = c >= offset && c < offset + channels ? x[(n * channels + c - offset) * spatial + s] : before[at];
            Assert.Equal(expected, y[at]);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => ConcatKernel.CopyBand(batch, channels, spatial, null, null, total, total - channels + 1));
    }
}
