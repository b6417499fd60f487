namespace TransferKit.Kernels.Elementwise;

/// <summary>
/// Splits a flat element range over <see cref="Parallelism.DegreeOfParallelism"/> threads when it is large
/// enough to pay for the hand-off; below <see cref="Threshold"/> elements the body runs inline.
/// </summary>
internal static class ParallelRanges
{
    /// <summary>Element count from which element-wise kernels go parallel (about 256 KiB of floats).</summary>
    internal const int Threshold = 1 << 16;

    /// <summary>Smallest chunk worth a thread: below this the scheduling cost is comparable to the work.</summary>
    private const int MinPerChunk = 1 << 15;

    /// <summary>Runs <paramref name="body"/>(start, end) over [0, <paramref name="length"/>), in parallel when large.</summary>
    public static void Run(int length, Action<int, int> body) => Run(length, length, body);

    /// <summary>
    /// Runs <paramref name="body"/>(start, end) over [0, <paramref name="items"/>) where the whole range costs about
    /// <paramref name="work"/> element operations (rows of a matrix: items = rows, work = rows * cols).
    /// </summary>
    public static void Run(int items, long work, Action<int, int> body)
    {
        if (items <= 0) return;
        int chunks = work < Threshold ? 1 : (int)Math.Min(Parallelism.ThreadsHere, work / MinPerChunk);
        chunks = Math.Min(chunks, items);
        if (chunks <= 1)
        {
            body(0, items);
            return;
        }
        Parallelism.ForChunks(0, items, chunks, body);
    }
}
