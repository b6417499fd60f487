using System.Diagnostics;

namespace TransferKit.Kernels;

/// <summary>
/// Helper threads that wait for a kernel's chunks by spinning for a short while before they sleep, so that the parallel
/// loops of consecutive layers (hundreds per forward pass, a few hundred microseconds apart at batch 1) find them awake.
/// A thread-pool worker that has gone to sleep between two loops is woken through the hypervisor on this machine, which
/// put about a tenth of a ResNet-50 forward at batch 1 in the kernel's interrupt path. The calling thread takes chunks
/// too; all participants pull chunk indices from one counter. One loop runs on the team at a time: a loop started while
/// it is busy (another caller's, or one nested inside a chunk) returns false and the caller runs it another way.
/// </summary>
internal sealed class WorkerTeam
{
    /// <summary>How long an idle helper spins before it sleeps: long enough to span the serial gap between two layers.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000;

    /// <summary>How long the caller waits for the helpers' last chunks on pause instructions alone before it also yields.</summary>
    private static readonly long PauseTicks = Stopwatch.Frequency / 500;

    [ThreadStatic] private static bool t_onTeam;

    /// <summary>
    /// Whether waiting threads spin on pause instructions instead of <see cref="SpinWait.SpinOnce(int)"/>, which soon
    /// yields the processor on every turn: on this virtual machine each <c>sched_yield</c> is a trip through the
    /// hypervisor, and at batch 1 about a tenth of ResNet-50's samples sat there. <c>worker-wait-networks</c> at batch 1:
    /// MobileNetV2 1.05x-1.10x, DenseNet-121 1.00x-1.07x, the others 0.96x-1.01x; batch 16 0.98x-1.02x. Benchmarks and
    /// tests turn it off to compare.
    /// </summary>
    internal static bool WaitsOnPause { get; set; } = true;

    private readonly SemaphoreSlim _wake = new(0);
    private int _busy;
    private int _sleepers;

    // The posted loop: its fields are written before _ticket is published, and stay until its last chunk is done.
    // _ticket holds the loop's generation (high 32 bits) and its next unclaimed chunk (low 32 bits), so that a claim
    // can only succeed for the loop whose fields the claimant read.
    private Action<int, int>? _body;
    private int _from, _count, _chunks;
    private long _ticket;
    private int _unfinished;
    private List<Exception>? _errors;

    /// <summary>Starts <paramref name="helpers"/> background threads.</summary>
    public WorkerTeam(int helpers)
    {
        for (int h = 0; h < helpers; h++)
        {
            var thread = new Thread(HelperLoop) { IsBackground = true, Name = $"TransferKit worker {h + 1}" };
            thread.Start();
        }
    }

    /// <summary>Whether the calling thread is running a chunk of a team loop (nested loops then run another way).</summary>
    public static bool OnTeam => t_onTeam;

    /// <summary>
    /// Runs body(start, end) for the <paramref name="chunks"/> contiguous ranges of [from, from + count) on the team and
    /// the calling thread, returning when all are done; false, without running anything, when the team is busy. The
    /// caller never waits for a helper that has not come: it takes the chunks left itself.
    /// </summary>
    /// <exception cref="AggregateException">A chunk threw (the others still ran), as <see cref="Parallel.For(int, int, Action{int})"/> reports it.</exception>
    public bool TryRun(int from, int count, int chunks, Action<int, int> body)
    {
        if (t_onTeam || Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return false;
        try
        {
            _body = body;
            _from = from;
            _count = count;
            _chunks = chunks;
            _errors = null;
            Volatile.Write(ref _unfinished, chunks);
            long generation = (Volatile.Read(ref _ticket) >> 32) + 1;
            Interlocked.Exchange(ref _ticket, generation << 32);
            int sleepers = Volatile.Read(ref _sleepers);
            if (sleepers > 0) _wake.Release(sleepers);
            Participate();
            long pauseUntil = Stopwatch.GetTimestamp() + PauseTicks;
            var spin = new SpinWait();
            while (Volatile.Read(ref _unfinished) != 0) Wait(ref spin, pauseUntil);
            _body = null;
            if (_errors is { } errors) throw new AggregateException(errors);
            return true;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Claims and runs chunks of the posted loop until none are left.</summary>
    private void Participate()
    {
        t_onTeam = true;
        try
        {
            while (true)
            {
                long ticket = Volatile.Read(ref _ticket);
                int c = (int)(ticket & uint.MaxValue);
                // Read after the ticket, so they belong to its loop (written before it was published); a claim below
                // succeeds only if the ticket has not moved, and it cannot move to another loop while this chunk is unclaimed.
                var body = _body;
                int from = _from, count = _count, chunks = _chunks;
                if (body is null || c >= chunks) return;
                if (Interlocked.CompareExchange(ref _ticket, ticket + 1, ticket) != ticket) continue;
                try
                {
                    body(from + (int)((long)count * c / chunks), from + (int)((long)count * (c + 1) / chunks));
                }
                catch (Exception ex)
                {
                    lock (this) (_errors ??= []).Add(ex);
                }
                Interlocked.Decrement(ref _unfinished);
            }
        }
        finally
        {
            t_onTeam = false;
        }
    }

    /// <summary>One turn of a wait: pause instructions until <paramref name="pauseUntil"/>, then the runtime's spin, which yields.</summary>
    private static void Wait(ref SpinWait spin, long pauseUntil)
    {
        if (WaitsOnPause && Stopwatch.GetTimestamp() < pauseUntil) Thread.SpinWait(16);
        else spin.SpinOnce(sleep1Threshold: -1);
    }

    private void HelperLoop()
    {
        // Not read from the ticket: a loop may already have been posted before this thread first runs.
        long seen = 0;
        while (true)
        {
            long deadline = Stopwatch.GetTimestamp() + SpinTicks;
            var spin = new SpinWait();
            while (Generation() == seen && Stopwatch.GetTimestamp() < deadline) Wait(ref spin, deadline);
            if (Generation() == seen)
            {
                // Announce the sleep before the last look, so that a loop posted in between either is seen here or
                // releases the semaphore; a release this thread did not need only costs one extra turn of the loop.
                Interlocked.Increment(ref _sleepers);
                if (Generation() == seen) _wake.Wait();
                Interlocked.Decrement(ref _sleepers);
                continue;
            }
            seen = Generation();
            Participate();
        }
    }

    private long Generation() => Volatile.Read(ref _ticket) >> 32;
}
