using TransferKit.Kernels.Convolution;

namespace TransferKit.Tests.Kernels.Convolution;

public unsafe class StridedGatherTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MatchesScalarForEveryCountAndWritesOnlyCountElements(int stride)
    {
        for (int count = 0; count <= 70; count++)
        {
            // The source ends at the last element the gather needs; every count from 0 to 70 crosses the
            // vector loop's bound (count >= 9) and its scalar tail.
            int srcLength = count == 0 ? 0 : (count - 1) * stride + 1;
            float[] src = Enumerable.Range(0, srcLength).Select(i => (float)i).ToArray();
            float[] dst = new float[count + 1];
            dst[count] = -1;
            fixed (float* s = src, d = dst)
                StridedGather.Copy(s, stride, d, count);
            for (int i = 0; i < count; i++) Assert.Equal(i * stride, dst[i]);
            Assert.Equal(-1, dst[count]);
        }
    }

    [Fact]
    public void CopyRowCopiesEveryCountAndWritesOnlyCountElements()
    {
        for (int count = 0; count <= 70; count++)
        {
            float[] src = Enumerable.Range(0, count).Select(i => (float)i).ToArray();
            float[] dst = new float[count + 1];
            dst[count] = -1;
            fixed (float* s = src, d = dst)
                StridedGather.CopyRow(s, d, count);
            for (int i = 0; i < count; i++) Assert.Equal(i, dst[i]);
            Assert.Equal(-1, dst[count]);
        }
    }

    [Fact]
    public void DeinterleaveRowSplitsEvenAndOddElementsForEveryCountAndWritesOnlyCountElements()
    {
        for (int count = 1; count <= 70; count++)
        {
            int length = StridedGather.DeinterleaveRowSourceLength(count);
            Assert.True(length >= 2 * count, $"count {count}: source length {length}");
            float[] src = Enumerable.Range(0, length).Select(i => (float)i).ToArray();
            float[] even = new float[count + 1], odd = new float[count + 1];
            even[count] = odd[count] = -1;
            fixed (float* s = src, e = even, o = odd)
                StridedGather.DeinterleaveRow(s, e, o, count);
            for (int i = 0; i < count; i++)
            {
                Assert.Equal(2 * i, even[i]);
                Assert.Equal(2 * i + 1, odd[i]);
            }
            Assert.Equal(-1, even[count]);
            Assert.Equal(-1, odd[count]);
        }
    }

    [Fact]
    public void DeinterleaveSplitsEveryCountReadingOnlyItsPairsAndWritingOnlyCountElements()
    {
        for (int count = 0; count <= 70; count++)
        {
            // The values past 2 * count are NaN: a vector step that read them into its outputs would store one.
            float[] src = Enumerable.Range(0, 2 * count + 32).Select(i => i < 2 * count ? (float)i : float.NaN).ToArray();
            float[] even = new float[count + 1], odd = new float[count + 1];
            even[count] = odd[count] = -1;
            fixed (float* s = src, e = even, o = odd)
                StridedGather.Deinterleave(s, e, o, count);
            for (int i = 0; i < count; i++)
            {
                Assert.Equal(2 * i, even[i]);
                Assert.Equal(2 * i + 1, odd[i]);
            }
            Assert.Equal(-1, even[count]);
            Assert.Equal(-1, odd[count]);
        }
    }
}
