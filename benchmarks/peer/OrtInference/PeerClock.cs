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

    /// <summary>
    /// The two sides timed in alternating turns (ours, theirs, theirs, ours, ...) of at most
    /// <paramref name="stepsPerTurn"/> timed calls after one untimed, following each side's warm-up, and the median of
    /// each side's <paramref name="steps"/> timed calls, in seconds. On a shared two-core machine whose speed drifts by half within
    /// minutes, one side timed wholly before the other read the drift as a speed ratio; alternating puts both in the
    /// same minutes. A short pause before each turn lets the other runtime's spinning threads go idle.
    /// </summary>
    public static (double Ours, double Theirs) MedianAlternating(int warmup, double warmupSeconds, int steps, Action ours, Action theirs,
        int stepsPerTurn = 2)
    {
        Median(warmup, warmupSeconds, 1, theirs);
        Median(warmup, warmupSeconds, 1, ours);
        var oursTimes = new List<double>(steps);
        var theirsTimes = new List<double>(steps);
        for (int turn = 0; oursTimes.Count < steps || theirsTimes.Count < steps; turn++)
        {
            // ABBA: each side goes first in every other pair of turns.
            bool oursNow = turn % 4 is 0 or 3;
            var (run, times) = oursNow ? (ours, oursTimes) : (theirs, theirsTimes);
            Thread.Sleep(20);
            // One untimed call first: the other side's turn left its own data in the caches.
            run();
            for (int i = 0; i < stepsPerTurn && times.Count < steps; i++)
            {
                var clock = Stopwatch.StartNew();
                run();
                times.Add(clock.Elapsed.TotalSeconds);
            }
        }

        return (MedianOf(oursTimes), MedianOf(theirsTimes));
    }

    private static double MedianOf(List<double> times)
    {
        times.Sort();
        return times[times.Count / 2];
    }
}
