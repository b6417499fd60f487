using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using TransferKit.Kernels.Convolution;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Benchmarks;

/// <summary>
/// Conv2d forward, backward-data and backward-weight at ResNet-50 layer shapes, batch 8 (forward with the automatic
/// choice between im2col and Winograd; <see cref="Conv2dForwardAlgorithmBenchmarks"/> compares the two).
/// Run: dotnet run -c Release --project benchmarks/TransferKit.Benchmarks -- --filter '*Conv2d*'
/// The GFLOP/s column counts 2 * N * Cout * OH * OW * Cin/G * KH * KW for each of the three passes.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
[Config(typeof(GflopsConfig))]
public unsafe class Conv2dBenchmarks
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

    /// <summary>Which GEMM provider the im2col and 1x1 paths use.</summary>
    [ParamsAllValues]
    public GemmProviderKind Provider { get; set; }

    /// <summary>The layer names.</summary>
    public static IEnumerable<string> Layers => s_layers.Keys;

    /// <summary>FLOPs of one pass of <paramref name="layer"/>, for the GFLOP/s column.</summary>
    public static long FlopsOf(string layer) => s_layers[layer].Flops;

    [GlobalSetup]
    public void Setup()
    {
        GemmEngine.Provider = GemmProviders.Create(Provider);
        _g = s_layers[Layer];
        var rng = new Random(42);
        // Small values keep the adding backward passes far from overflow over many iterations.
        const float Scale = 0.01f;
        _input = NativeBuffers.Random(_g.InputLength, rng, Scale);
        _weight = NativeBuffers.Random(_g.WeightLength, rng, Scale);
        _bias = NativeBuffers.Random(_g.OutChannels, rng, Scale);
        _output = NativeBuffers.Random(_g.OutputLength, rng, Scale);
        _gradInput = NativeBuffers.Random(_g.InputLength, rng, Scale);
        _gradWeight = NativeBuffers.Random(_g.WeightLength, rng, Scale);
        _gradBias = NativeBuffers.Random(_g.OutChannels, rng, Scale);
    }

    [GlobalCleanup]
    public void Cleanup() =>
        NativeBuffers.Free((nint)_input, (nint)_weight, (nint)_bias, (nint)_output, (nint)_gradInput, (nint)_gradWeight, (nint)_gradBias);

    [Benchmark]
    public void Forward() => Conv2dKernel.Forward(_g, _input, _weight, _bias, _output);

    [Benchmark]
    public void BackwardData() => Conv2dKernel.BackwardData(_g, _output, _weight, _gradInput);

    [Benchmark]
    public void BackwardWeight() => Conv2dKernel.BackwardWeight(_g, _input, _output, _gradWeight, _gradBias);

    /// <summary>Adds the GFLOP/s column: the layer's FLOPs per pass.</summary>
    private sealed class GflopsConfig : ManualConfig
    {
        public GflopsConfig() => AddColumn(ThroughputColumn.Gflops(c => c.Parameters["Layer"] is string layer ? FlopsOf(layer) : null));
    }
}
