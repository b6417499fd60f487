using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using TransferKit.Kernels.Convolution;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Benchmarks;

/// <summary>
/// Conv2d forward, backward-data and backward-weight at ResNet-50 layer shapes, batch 8.
/// Run: dotnet run -c Release --project benchmarks/TransferKit.Benchmarks -- --filter '*Conv2d*'
/// The GFLOP/s column counts 2 * N * Cout * OH * OW * Cin/G * KH * KW for each of the three passes.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
[Config(typeof(GflopsConfig))]
public unsafe partial class Conv2dBenchmarks
{
    private static readonly Dictionary<string, Conv2dGeometry> s_layers = new()
    {
        ["conv1 7x7/2 3->64 @224"] = new(8, 3, 224, 224, 64, 7, 7, 2, 2, 3, 3),
        ["layer1 3x3 64->64 @56"] = new(8, 64, 56, 56, 64, 3, 3, 1, 1, 1, 1),
        ["layer3 1x1 1024->256 @14"] = new(8, 1024, 14, 14, 256, 1, 1),
        ["layer4 3x3 512->512 @7"] = new(8, 512, 7, 7, 512, 3, 3, 1, 1, 1, 1),
    };

    private Conv2dGeometry _g;
    private float* _input, _weight, _bias, _output, _gradInput, _gradWeight, _gradBias;

    /// <summary>The ResNet-50 layer, by name.</summary>
    [ParamsSource(nameof(Layers))]
    public string Layer { get; set; } = "";

    /// <summary>The layer names.</summary>
    public static IEnumerable<string> Layers => s_layers.Keys;

    /// <summary>FLOPs of one pass of <paramref name="layer"/>, for the GFLOP/s column.</summary>
    public static long FlopsOf(string layer) => s_layers[layer].Flops;

    [GlobalSetup]
    public void Setup()
    {
        // TEMPORARY: the GEMM helper's CBLAS provider is not merged yet and the default is the naive GEMM. Remove
        // this line (and TemporaryOpenBlasGemm below) once GemmEngine picks OpenBLAS by itself.
        GemmEngine.Provider = new TemporaryOpenBlasGemm();
        _g = s_layers[Layer];
        var rng = new Random(42);
        _input = Alloc(_g.InputLength, rng);
        _weight = Alloc(_g.WeightLength, rng);
        _bias = Alloc(_g.OutChannels, rng);
        _output = Alloc(_g.OutputLength, rng);
        _gradInput = Alloc(_g.InputLength, rng);
        _gradWeight = Alloc(_g.WeightLength, rng);
        _gradBias = Alloc(_g.OutChannels, rng);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.AlignedFree(_input);
        NativeMemory.AlignedFree(_weight);
        NativeMemory.AlignedFree(_bias);
        NativeMemory.AlignedFree(_output);
        NativeMemory.AlignedFree(_gradInput);
        NativeMemory.AlignedFree(_gradWeight);
        NativeMemory.AlignedFree(_gradBias);
    }

    [Benchmark]
    public void Forward() => Conv2dKernel.Forward(_g, _input, _weight, _bias, _output);

    [Benchmark]
    public void BackwardData() => Conv2dKernel.BackwardData(_g, _output, _weight, _gradInput);

    [Benchmark]
    public void BackwardWeight() => Conv2dKernel.BackwardWeight(_g, _input, _output, _gradWeight, _gradBias);

    private static float* Alloc(int length, Random rng)
    {
        var p = (float*)NativeMemory.AlignedAlloc((nuint)length * sizeof(float), 64);
        // Small values keep the adding backward passes far from overflow over many iterations.
        for (int i = 0; i < length; i++) p[i] = (float)(rng.NextDouble() - 0.5) * 0.01f;
        return p;
    }

    private sealed class GflopsConfig : ManualConfig
    {
        public GflopsConfig() => AddColumn(new GflopsColumn());
    }

    /// <summary>GFLOP/s from the mean time and the layer's FLOPs.</summary>
    private sealed class GflopsColumn : IColumn
    {
        public string Id => nameof(GflopsColumn);
        public string ColumnName => "GFLOP/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "FLOPs of the layer divided by the mean time, in 1e9 per second";
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var stats = summary[benchmarkCase]?.ResultStatistics;
            if (stats is null || benchmarkCase.Parameters["Layer"] is not string layer) return "-";
            return (FlopsOf(layer) / stats.Mean).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// TEMPORARY, benchmark-only: a minimal CBLAS provider over OpenBLAS so that the convolution is measured with a
    /// real GEMM before the GEMM helper's provider is merged. Delete it then.
    /// </summary>
    private sealed partial class TemporaryOpenBlasGemm : IGemmProvider
    {
        private const int RowMajor = 101, NoTrans = 111, Trans = 112;

        public TemporaryOpenBlasGemm() => openblas_set_num_threads(TransferKit.Kernels.Parallelism.DegreeOfParallelism);

        public string Name => "OpenBLAS (temporary benchmark wrapper)";

        public void Sgemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
            float* a, int lda, float* b, int ldb, float beta, float* c, int ldc) =>
            cblas_sgemm(RowMajor, transposeA ? Trans : NoTrans, transposeB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        [LibraryImport("libopenblas.so.0")]
        private static partial void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha,
            float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

        [LibraryImport("libopenblas.so.0")]
        private static partial void openblas_set_num_threads(int threads);
    }
}
