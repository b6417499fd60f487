using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Benchmarks;

/// <summary>The GEMM providers a benchmark can pick.</summary>
public enum GemmProviderKind
{
    /// <summary>The native CBLAS library (OpenBLAS here).</summary>
    Cblas,

    /// <summary>The managed SIMD GEMM.</summary>
    Managed,
}

/// <summary>
/// Square single-precision GEMM, C = A·B (no transposes, beta = 0), for each provider at 256, 1024 and 2048.
/// A GFLOP/s column (2 n^3 / mean time) sits beside the times.
/// Run: dotnet run -c Release --project benchmarks/TransferKit.Benchmarks -- --filter '*Gemm*'
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
[Config(typeof(GflopsConfig))]
public unsafe class GemmBenchmarks
{
    private float* _a;
    private float* _b;
    private float* _c;
    private IGemmProvider _provider = null!;

    /// <summary>Rows = columns = depth.</summary>
    [Params(256, 1024, 2048)]
    public int Size { get; set; }

    /// <summary>Which provider runs.</summary>
    [ParamsAllValues]
    public GemmProviderKind Provider { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _provider = Provider == GemmProviderKind.Cblas ? CblasGemmProvider.Load() : new ManagedGemm();
        nuint bytes = (nuint)Size * (nuint)Size * sizeof(float);
        _a = (float*)NativeMemory.AlignedAlloc(bytes, 64);
        _b = (float*)NativeMemory.AlignedAlloc(bytes, 64);
        _c = (float*)NativeMemory.AlignedAlloc(bytes, 64);
        var rng = new Random(42);
        for (long i = 0; i < (long)Size * Size; i++)
        {
            _a[i] = rng.NextSingle() - 0.5f;
            _b[i] = rng.NextSingle() - 0.5f;
            _c[i] = 0;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.AlignedFree(_a);
        NativeMemory.AlignedFree(_b);
        NativeMemory.AlignedFree(_c);
    }

    [Benchmark]
    public void SgemmNN() => _provider.Sgemm(false, false, Size, Size, Size, 1f, _a, Size, _b, Size, 0f, _c, Size);

    /// <summary>Adds the GFLOP/s column.</summary>
    private sealed class GflopsConfig : ManualConfig
    {
        public GflopsConfig() => AddColumn(new GflopsColumn());
    }

    /// <summary>2 n^3 floating-point operations divided by the mean time of one call.</summary>
    private sealed class GflopsColumn : IColumn
    {
        public string Id => nameof(GflopsColumn);

        public string ColumnName => "GFLOP/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Billions of floating-point operations per second: 2 * Size^3 / Mean";

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var stats = summary[benchmarkCase]?.ResultStatistics;
            object? size = benchmarkCase.Parameters[nameof(Size)];
            if (stats is null || size is not int n) return "-";
            double flops = 2.0 * n * n * n;
            return (flops / stats.Mean).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
