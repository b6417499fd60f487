namespace TransferKit.Kernels;

/// <summary>
/// How many threads the CPU kernels use. Our own loops and the BLAS library share one budget: GEMM runs
/// on the calling thread with BLAS using <see cref="DegreeOfParallelism"/> threads, and kernels never call a
/// threading GEMM from inside their own parallel loops, so the two never oversubscribe the cores (which was measured
/// to cost PyTorch 2.6x on a small MLP here). The one nesting is <see cref="ForWhole"/>, whose shares run the managed
/// GEMM single-threaded.
/// </summary>
public static class Parallelism
{
    private static int s_degree = Environment.ProcessorCount;

    /// <summary>True on a thread running one share of a <see cref="ForWhole"/> loop, whose kernels then run alone.</summary>
    [ThreadStatic] private static bool t_insideWholeShare;

    /// <summary>Raised after <see cref="DegreeOfParallelism"/> changes, so native providers can follow.</summary>
    internal static event Action<int>? DegreeChanged;

    /// <summary>Threads used by kernels and BLAS. Default: <see cref="Environment.ProcessorCount"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public static int DegreeOfParallelism
    {
        get => s_degree;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            s_degree = value;
            DegreeChanged?.Invoke(value);
        }
    }

    /// <summary>
    /// Whether parallel loops run on a <see cref="WorkerTeam"/> of spinning helpers (one per thread beyond the caller)
    /// rather than on the thread pool; benchmarks switch it off to compare. Nested loops, and loops started while another
    /// caller's is running, take the thread pool either way.
    /// </summary>
    internal static bool UsesWorkerTeam { get; set; } = true;

    // One team per degree, made on first use: tests and benchmarks switch the degree back and forth, and a team's
    // helpers live as long as the process.
    private static readonly WorkerTeam?[] s_teams = new WorkerTeam?[65];

    private static WorkerTeam? TeamFor(int threads)
    {
        if (threads < 2 || threads >= s_teams.Length) return null;
        var team = Volatile.Read(ref s_teams[threads]);
        if (team is not null) return team;
        lock (s_teams) return s_teams[threads] ??= new WorkerTeam(threads - 1);
    }

    /// <summary>
    /// Threads a kernel called on this thread may use: <see cref="DegreeOfParallelism"/>, or 1 inside a share of a
    /// <see cref="ForWhole"/> loop, which already keeps every thread busy.
    /// </summary>
    internal static int ThreadsHere => t_insideWholeShare ? 1 : s_degree;

    /// <summary>
    /// Whether <paramref name="items"/> independent pieces (a batch's images) share out evenly enough among
    /// <see cref="ThreadsHere"/> threads to go to them whole through <see cref="ForWhole"/>: more than one thread, and a
    /// multiple of the thread count or at least four pieces a thread.
    /// </summary>
    internal static bool SharesOutWhole(int items)
    {
        int threads = ThreadsHere;
        return threads > 1 && (items % threads == 0 || items >= 4 * threads);
    }

    /// <summary>
    /// Runs <paramref name="body"/> for every index in [<paramref name="fromInclusive"/>, <paramref name="toExclusive"/>),
    /// the range split into one contiguous share per thread, with every kernel the body calls (GEMM included) running
    /// single-threaded on the share's thread: for a handful of independent products too small to be worth splitting
    /// each (Winograd's 16), one fork and join instead of one per product. The body must not need a provider that
    /// threads on its own (a native BLAS); <paramref name="bfloat16"/> carries the caller's <see cref="Gemm.BFloat16Scope"/>
    /// onto the other threads.
    /// </summary>
    internal static void ForWhole(int fromInclusive, int toExclusive, Action<int> body, bool bfloat16)
    {
        ArgumentNullException.ThrowIfNull(body);
        ForChunks(fromInclusive, toExclusive, ThreadsHere, (start, end) =>
        {
            bool outer = t_insideWholeShare;
            t_insideWholeShare = true;
            using var precision = Gemm.BFloat16Scope.Enter(bfloat16 && !Gemm.BFloat16Scope.IsActive);
            try
            {
                for (int i = start; i < end; i++) body(i);
            }
            finally
            {
                t_insideWholeShare = outer;
            }
        });
    }

    /// <summary>
    /// Runs <paramref name="body"/> for every index in [<paramref name="fromInclusive"/>, <paramref name="toExclusive"/>),
    /// splitting the range into at most <see cref="DegreeOfParallelism"/> contiguous chunks. Runs inline when the
    /// range is small (<paramref name="minPerThread"/> items per thread at least) or one thread is configured.
    /// </summary>
    public static void For(int fromInclusive, int toExclusive, Action<int> body, int minPerThread = 1)
    {
        ArgumentNullException.ThrowIfNull(body);
        int n = toExclusive - fromInclusive;
        if (n <= 0) return;
        int workers = Math.Min(ThreadsHere, Math.Max(1, n / Math.Max(1, minPerThread)));
        if (workers <= 1)
        {
            for (int i = fromInclusive; i < toExclusive; i++) body(i);
            return;
        }
        ForChunks(fromInclusive, toExclusive, workers, (start, end) =>
        {
            for (int i = start; i < end; i++) body(i);
        });
    }

    /// <summary>
    /// Splits [<paramref name="fromInclusive"/>, <paramref name="toExclusive"/>) into <paramref name="chunks"/> contiguous
    /// ranges and runs <paramref name="body"/>(start, end) on each in parallel. The calling thread takes the first chunk.
    /// </summary>
    public static void ForChunks(int fromInclusive, int toExclusive, int chunks, Action<int, int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        int n = toExclusive - fromInclusive;
        if (n <= 0) return;
        chunks = Math.Clamp(chunks, 1, n);
        if (chunks == 1 || t_insideWholeShare)
        {
            body(fromInclusive, toExclusive);
            return;
        }
        if (UsesWorkerTeam && TeamFor(ThreadsHere) is { } team && team.TryRun(fromInclusive, n, chunks, body)) return;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(chunks, ThreadsHere) }, c =>
        {
            int start = fromInclusive + (int)((long)n * c / chunks);
            int end = fromInclusive + (int)((long)n * (c + 1) / chunks);
            body(start, end);
        });
    }
}
