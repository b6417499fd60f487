using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace TransferKit.Benchmarks;

/// <summary>
/// A throughput column: work per call (FLOPs, images) divided by the mean time. BenchmarkDotNet's mean is in
/// nanoseconds, so <paramref name="perNanosecondScale"/> is 1 for GFLOP/s and 1e9 for items per second.
/// </summary>
/// <param name="name">Column header, e.g. "GFLOP/s" or "images/s".</param>
/// <param name="legend">What the column means.</param>
/// <param name="workOf">Work of one invocation of a case, or null when unknown.</param>
/// <param name="perNanosecondScale">Multiplier from work per nanosecond to the column's unit.</param>
public sealed class ThroughputColumn(string name, string legend, Func<BenchmarkCase, double?> workOf, double perNanosecondScale) : IColumn
{
    /// <summary>GFLOP/s from FLOPs per call.</summary>
    public static ThroughputColumn Gflops(Func<BenchmarkCase, double?> flopsOf) =>
        new("GFLOP/s", "Floating-point operations of one call divided by the mean time, in 1e9 per second", flopsOf, 1);

    /// <summary>Images per second from images per call.</summary>
    public static ThroughputColumn ImagesPerSecond(Func<BenchmarkCase, double?> imagesOf) =>
        new("images/s", "Images of one call divided by the mean time", imagesOf, 1e9);

    /// <inheritdoc />
    public string Id => nameof(ThroughputColumn) + name;

    /// <inheritdoc />
    public string ColumnName => name;

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
    public string Legend => legend;

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
        double? work = workOf(benchmarkCase);
        return stats is null || work is null ? "-" : (work.Value / stats.Mean * perNanosecondScale).ToString("F1", CultureInfo.InvariantCulture);
    }
}
