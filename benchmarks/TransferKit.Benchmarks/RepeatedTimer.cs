using System.Diagnostics;

namespace TransferKit.Benchmarks;

/// <summary>Runs an action again and again for a while and gives its median time.</summary>
internal static class RepeatedTimer
{
    /// <summary>The median milliseconds of <paramref name="run"/> over at least <paramref name="seconds"/> and three runs.</summary>
    public static double MedianMilliseconds(double seconds, Action run)
    {
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds || times.Count < 3)
        {
            var clock = Stopwatch.StartNew();
            run();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
