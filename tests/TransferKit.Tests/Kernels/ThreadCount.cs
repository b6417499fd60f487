using TransferKit.Kernels;

namespace TransferKit.Tests.Kernels;

/// <summary>Runs a body with <see cref="Parallelism.DegreeOfParallelism"/> set for its duration, restored after.</summary>
internal static class ThreadCount
{
    public static void With(int threads, Action body)
    {
        int saved = Parallelism.DegreeOfParallelism;
        try
        {
            Parallelism.DegreeOfParallelism = threads;
            body();
        }
        finally
        {
            Parallelism.DegreeOfParallelism = saved;
        }
    }
}
