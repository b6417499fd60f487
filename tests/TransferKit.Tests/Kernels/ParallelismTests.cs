using System.Collections.Concurrent;
using TransferKit.Kernels;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Tests.Kernels;

public class ParallelismTests
{
    [Fact]
    public void ForWholeRunsEveryIndexOnceWithNestedKernelsAlone()
    {
        var seen = new ConcurrentBag<(int Index, int Threads, bool BFloat16)>();
        int previous = Parallelism.DegreeOfParallelism;
        try
        {
            Parallelism.DegreeOfParallelism = 3;
            Parallelism.ForWhole(2, 12, i =>
            {
                // A nested loop runs inline on the share's thread.
                int outerThread = Environment.CurrentManagedThreadId;
                Parallelism.For(0, 64, _ => Assert.Equal(outerThread, Environment.CurrentManagedThreadId));
                seen.Add((i, Parallelism.ThreadsHere, BFloat16Scope.IsActive));
            }, bfloat16: true);
            Assert.Equal(3, Parallelism.ThreadsHere);
            Assert.False(BFloat16Scope.IsActive);
        }
        finally
        {
            Parallelism.DegreeOfParallelism = previous;
        }
        Assert.Equal(Enumerable.Range(2, 10), seen.Select(s => s.Index).Order());
        Assert.All(seen, s => Assert.Equal(1, s.Threads));
        Assert.All(seen, s => Assert.True(s.BFloat16));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void MoreChunksThanThreadsRunOnAtMostTheConfiguredThreads(int degree)
    {
        // A kernel that cuts its work finer than the thread count (the direct convolution's tiles) must still use no more
        // threads than configured: the calling thread takes part, so an uncapped loop ran on one thread more.
        int previous = Parallelism.DegreeOfParallelism, active = 0, most = 0, done = 0;
        try
        {
            Parallelism.DegreeOfParallelism = degree;
            Parallelism.ForChunks(0, 96, 96, (start, end) =>
            {
                int now = Interlocked.Increment(ref active);
                for (int seen = most; now > seen; seen = most) Interlocked.CompareExchange(ref most, now, seen);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (clock.Elapsed.TotalMilliseconds < 0.5) Thread.SpinWait(20);
                Interlocked.Decrement(ref active);
                Interlocked.Add(ref done, end - start);
            });
        }
        finally
        {
            Parallelism.DegreeOfParallelism = previous;
        }
        Assert.Equal(96, done);
        Assert.InRange(most, 1, degree);
    }

    [Fact]
    public void ForWholeLeavesThePrecisionAsItWasWithoutBFloat16()
    {
        var seen = new ConcurrentBag<bool>();
        Parallelism.ForWhole(0, 8, _ => seen.Add(BFloat16Scope.IsActive), bfloat16: false);
        Assert.All(seen, Assert.False);
    }
}
