using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace TransferKit.Benchmarks;

/// <summary>A "GFLOP/s" column: the case's floating-point operations divided by its mean time.</summary>
/// <param name="flopsOf">FLOPs of one invocation of a case, or null when unknown.</param>
public sealed class GflopsColumn(Func<BenchmarkCase, double?> flopsOf) : IColumn
{
    /// <inheritdoc />
    public string Id => nameof(GflopsColumn);

    /// <inheritdoc />
    public string ColumnName => "GFLOP/s";

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => 0;

    /// <inheritdoc />
    public bool IsNumeric => true;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string Legend => "Floating-point operations of one call divided by the mean time, in 1e9 per second";

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var stats = summary[benchmarkCase]?.ResultStatistics;
        double? flops = flopsOf(benchmarkCase);
        // The mean is in nanoseconds, so FLOPs per nanosecond are GFLOP/s.
        return stats is null || flops is null ? "-" : (flops.Value / stats.Mean).ToString("F1", CultureInfo.InvariantCulture);
    }
}
