using TransferKit.Kernels;

namespace TransferKit.Tests.Kernels;

/// <summary>
/// The spinning worker team behind <see cref="Parallelism.ForChunks"/>: every chunk once with the ranges the thread pool
/// path gives, errors gathered while the other chunks still run, a busy team refused (nested loops, other callers)
/// rather than waited for, sleeping helpers woken, and a loop posted the moment the team is made (which hung when
/// the caller waited for every helper to check in, and one slept through a wake-up meant for another), with the waiting
/// threads on pause instructions and on the yielding spin. Each run has a deadline, so that a lost
/// wake-up fails the test instead of hanging the run.
/// </summary>
public class WorkerTeamTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(1, true)]
    [InlineData(3, true)]
    [InlineData(1, false)]
    public void RunsEveryChunkOnceOverItsRange(int helpers, bool waitsOnPause)
    {
        bool saved = WorkerTeam.WaitsOnPause;
        WorkerTeam.WaitsOnPause = waitsOnPause;
        try
        {
            RunsEveryChunkOnce(helpers);
        }
        finally
        {
            WorkerTeam.WaitsOnPause = saved;
        }
    }

    private static void RunsEveryChunkOnce(int helpers)
    {
        var team = new WorkerTeam(helpers);
        foreach (int count in new[] { 1, 2, 7, 64, 1000 })
        {
            foreach (int chunks in new[] { 1, 2, 3, 5, 16 })
            {
                if (chunks > count) continue;
                int[] hits = new int[count];
                var ranges = new List<(int, int)>();
                bool ran = RunWithin(() => team.TryRun(10, count, chunks, (start, end) =>
                {
                    lock (ranges) ranges.Add((start, end));
                    for (int i = start; i < end; i++) Interlocked.Increment(ref hits[i - 10]);
                }));
                Assert.True(ran, $"count {count}, chunks {chunks}: the idle team refused the loop");
                Assert.All(hits, h => Assert.Equal(1, h));
                var expected = Enumerable.Range(0, chunks).Select(c => (10 + (int)((long)count * c / chunks), 10 + (int)((long)count * (c + 1) / chunks)));
                Assert.Equal(expected.OrderBy(r => r), ranges.OrderBy(r => r));
            }
        }
    }

    [Fact]
    public void GathersErrorsWhileTheOtherChunksRunAndStaysUsable()
    {
        var team = new WorkerTeam(1);
        int done = 0;
        var error = Assert.Throws<AggregateException>(() => RunWithin(() => team.TryRun(0, 8, 8, (start, _) =>
        {
            if (start % 3 == 0) throw new InvalidOperationException($"chunk {start}");
            Interlocked.Increment(ref done);
        })));
        Assert.Equal(3, error.InnerExceptions.Count);
        Assert.All(error.InnerExceptions, e => Assert.IsType<InvalidOperationException>(e));
        Assert.Equal(5, done);
        int after = 0;
        Assert.True(RunWithin(() => team.TryRun(0, 4, 2, (start, end) => Interlocked.Add(ref after, end - start))));
        Assert.Equal(4, after);
    }

    [Fact]
    public void RefusesALoopNestedInOneOfItsChunks()
    {
        var team = new WorkerTeam(1);
        int refused = 0;
        Assert.True(RunWithin(() => team.TryRun(0, 2, 2, (_, _) =>
        {
            Assert.True(WorkerTeam.OnTeam);
            if (!team.TryRun(0, 2, 2, (_, _) => { })) Interlocked.Increment(ref refused);
        })));
        Assert.Equal(2, refused);
        Assert.False(WorkerTeam.OnTeam);
    }

    [Fact]
    public async Task ConcurrentCallersAllFinishThroughParallelism()
    {
        int saved = Parallelism.DegreeOfParallelism;
        try
        {
            Parallelism.DegreeOfParallelism = 2;
            long[] sums = new long[6];
            var callers = Enumerable.Range(0, sums.Length).Select(k => Task.Run(() =>
            {
                for (int round = 0; round < 200; round++)
                {
                    long sum = 0;
                    Parallelism.ForChunks(0, 100, 4, (start, end) =>
                    {
                        long part = 0;
                        for (int i = start; i < end; i++) part += i;
                        Interlocked.Add(ref sum, part);
                    });
                    Assert.Equal(4950, sum);
                    sums[k] += sum;
                }
            })).ToArray();
            var all = Task.WhenAll(callers);
            Assert.Same(all, await Task.WhenAny(all, Task.Delay(Deadline)));
            await all;
            Assert.All(sums, s => Assert.Equal(200L * 4950, s));
        }
        finally
        {
            Parallelism.DegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void ALoopPostedAsTheTeamIsMadeStillFinds()
    {
        for (int i = 0; i < 20; i++)
        {
            int hits = 0;
            // Made and used on one thread at once: the loop is posted before the new helpers first run.
            Assert.True(RunWithin(() => new WorkerTeam(2).TryRun(0, 3, 3, (_, _) => Interlocked.Increment(ref hits))));
            Assert.Equal(3, hits);
        }
    }

    [Fact]
    public void WakesHelpersThatFellAsleep()
    {
        var team = new WorkerTeam(1);
        for (int i = 0; i < 3; i++)
        {
            // Past the spin window, so the helper has gone to sleep on its semaphore.
            Thread.Sleep(5);
            var threads = new HashSet<int>();
            using var secondStarted = new ManualResetEventSlim();
            Assert.True(RunWithin(() => team.TryRun(0, 2, 2, (start, _) =>
            {
                lock (threads) threads.Add(Environment.CurrentManagedThreadId);
                // The first chunk holds its thread until the second has started, which only the helper can then do.
                if (start == 0) secondStarted.Wait(Deadline);
                else secondStarted.Set();
            })));
            Assert.True(secondStarted.IsSet, "the sleeping helper was not woken");
            Assert.Equal(2, threads.Count);
        }
    }

    private static bool RunWithin(Func<bool> run)
    {
        bool result = false;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = run();
            }
            catch (Exception ex)
            {
                error = ex;
            }
        }) { IsBackground = true };
        thread.Start();
        Assert.True(thread.Join(Deadline), "the team loop did not finish: a helper never came");
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        return result;
    }
}
