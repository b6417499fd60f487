using System.Diagnostics;

namespace TransferKit.Benchmarks.Peer;

/// <summary>The one way both sides are timed, so neither gets a different warm-up or statistic.</summary>
internal static class PeerClock
{
    /// <summary><paramref name="warmup"/> untimed calls, then the median wall time of <paramref name="steps"/> calls, in seconds.</summary>
    public static double Median(int warmup, int steps, Action run)
    {
        for (int i = 0; i < warmup; i++) run();
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
