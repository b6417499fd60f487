using TransferKit.Tensors;

namespace TransferKit.Tests.Tensors;

public class TensorTests
{
    [Fact]
    public unsafe void BuffersAreAlignedTo64Bytes()
    {
        for (int n = 1; n < 300; n += 37)
        {
            using var t = Tensor.Empty(n);
            Assert.Equal(0, (long)t.Data % 64);
        }
    }

    [Fact]
    public void ReshapeSharesStorageAndKeepsItAliveUntilLastViewIsDisposed()
    {
        var t = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        var v = t.Reshape(3, 2);
        v.Span[0] = 42;
        Assert.Equal(42, t.Span[0]);
        t.Dispose();
        Assert.Equal(42, v.Span[0]);
        v.Dispose();
        Assert.Throws<ObjectDisposedException>(() => v.Span[0]);
    }

    [Fact]
    public void ReshapeToOtherElementCountNamesBothShapes()
    {
        using var t = Tensor.Zeros(2, 3);
        var ex = Assert.Throws<ShapeMismatchException>(() => t.Reshape(4, 2));
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[4, 2]", ex.Message);
    }

    [Fact]
    public void ScopeDisposesTemporariesButNotKeptOrPersistedTensors()
    {
        Tensor inner, kept, persisted;
        using (var scope = TensorScope.Begin())
        {
            inner = Tensor.Zeros(4);
            kept = scope.Keep(Tensor.Zeros(4));
            persisted = Tensor.Zeros(4).Persist();
        }
        Assert.True(inner.IsDisposed);
        Assert.False(kept.IsDisposed);
        Assert.False(persisted.IsDisposed);
        kept.Dispose();
        persisted.Dispose();
    }

    [Fact]
    public void KeptTensorMovesToEnclosingScope()
    {
        Tensor kept;
        using (TensorScope.Begin())
        {
            using (var inner = TensorScope.Begin())
            {
                kept = inner.Keep(Tensor.Zeros(3));
            }
            Assert.False(kept.IsDisposed);
        }
        Assert.True(kept.IsDisposed);
    }

    [Fact]
    public void PoolReusesReturnedBlocks()
    {
        var pool = new NativeMemoryPool();
        var (p1, c1) = pool.Rent(10_000);
        pool.Return(p1, c1);
        var (p2, c2) = pool.Rent(9_990);
        Assert.Equal(p1, p2);
        Assert.Equal(c1, c2);
        pool.Return(p2, c2);
        pool.Trim();
        Assert.Equal(0, pool.BytesReserved);
    }

    [Theory]
    [InlineData(1, 256)]
    [InlineData(257, 320)]
    [InlineData(1000, 1024)]
    [InlineData(1025, 1280)]
    [InlineData(1 << 20, 1 << 20)]
    [InlineData((1 << 20) + 1, (1 << 20) + (1 << 18))]
    public void SizeClassesWasteAtMostAQuarter(long bytes, long expectedClass) =>
        Assert.Equal(expectedClass, NativeMemoryPool.SizeClass(bytes));
}
