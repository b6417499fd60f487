using System.Diagnostics;

namespace TransferKit.Benchmarks.Peer;

/// <summary>The one way both sides are timed, so neither gets a different warm-up or statistic.</summary>
internal static class PeerClock
{
    /// <summary>
    /// At least <paramref name="warmup"/> untimed calls, going on until <paramref name="warmupSeconds"/> have passed, then
    /// the median wall time of <paramref name="steps"/> calls, in seconds.
    /// </summary>
    public static double Median(int warmup, double warmupSeconds, int steps, Action run)
    {
        var warming = Stopwatch.StartNew();
        for (int i = 0; i < warmup || warming.Elapsed.TotalSeconds < warmupSeconds; i++) run();
        var times = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            var clock = Stopwatch.StartNew();
            run();
            times[i] = clock.Elapsed.TotalSeconds;
        }

        Array.Sort(times);
        return times[steps / 2];
    }
}
