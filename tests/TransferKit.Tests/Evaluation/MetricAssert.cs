using Xunit.Sdk;

namespace TransferKit.Tests.Evaluation;

/// <summary>Double comparisons for metrics at <see cref="Tolerances.Metrics"/> relative (absolute below 1).</summary>
internal static class MetricAssert
{
    public static void Close(double expected, double actual, string what)
    {
        double limit = Tolerances.Metrics * Math.Max(1, Math.Abs(expected));
        if (!(Math.Abs(actual - expected) <= limit))
            throw new XunitException($"{what}: {actual:R}, expected {expected:R} (error {Math.Abs(actual - expected):G3} > {limit:G3}).");
    }

    public static void Close(double? expected, double? actual, string what)
    {
        if (expected is null || actual is null)
        {
            if (expected != actual) throw new XunitException($"{what}: {actual?.ToString("R") ?? "null"}, expected {expected?.ToString("R") ?? "null"}.");
            return;
        }

        Close(expected.Value, actual.Value, what);
    }
}
