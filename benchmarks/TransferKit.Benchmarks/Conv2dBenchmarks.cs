using System.Runtime.InteropServices;
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

    /// <summary>Adds the GFLOP/s column: the layer's FLOPs per pass.</summary>
    private sealed class GflopsConfig : ManualConfig
    {
        public GflopsConfig() => AddColumn(ThroughputColumn.Gflops(c => c.Parameters["Layer"] is string layer ? FlopsOf(layer) : null));
    }
}

/// <summary>
/// The forward pass of every distinct 3x3 stride-1 layer of VGG-16 and ResNet-50, batch 8, by im2col + GEMM and by
/// Winograd F(2x2, 3x3), side by side, with the managed GEMM (the default on AVX-512 CPUs).
/// Run: dotnet run -c Release --project benchmarks/TransferKit.Benchmarks -- --filter '*Conv2dForwardAlgorithm*' --job short
/// The GFLOP/s column counts the direct convolution's FLOPs for both, so it compares times.
/// </summary>
[Config(typeof(GflopsConfig))]
public unsafe class Conv2dForwardAlgorithmBenchmarks
{
    private static readonly Dictionary<string, Conv2dGeometry> s_layers = new()
    {
        ["vgg16 64->64 @224"] = new(8, 64, 224, 224, 64, 3, 3, 1, 1, 1, 1),
        ["vgg16 128->128 @112"] = new(8, 128, 112, 112, 128, 3, 3, 1, 1, 1, 1),
        ["vgg16 256->256 @56"] = new(8, 256, 56, 56, 256, 3, 3, 1, 1, 1, 1),
        ["vgg16 512->512 @28"] = new(8, 512, 28, 28, 512, 3, 3, 1, 1, 1, 1),
        ["vgg16 512->512 @14"] = new(8, 512, 14, 14, 512, 3, 3, 1, 1, 1, 1),
        ["resnet50 64->64 @56"] = new(8, 64, 56, 56, 64, 3, 3, 1, 1, 1, 1),
        ["resnet50 128->128 @28"] = new(8, 128, 28, 28, 128, 3, 3, 1, 1, 1, 1),
        ["resnet50 256->256 @14"] = new(8, 256, 14, 14, 256, 3, 3, 1, 1, 1, 1),
        ["resnet50 512->512 @7"] = new(8, 512, 7, 7, 512, 3, 3, 1, 1, 1, 1),
    };

    private Conv2dGeometry _g;
    private Conv2dForwardAlgorithm _previous;
    private float* _input, _weight, _bias, _output;

    /// <summary>The layer, by network and shape.</summary>
    [ParamsSource(nameof(Layers))]
    public string Layer { get; set; } = "";

    /// <summary>"im2col" or "winograd" (the values of TRANSFERKIT_CONV that force each path).</summary>
    [Params("im2col", "winograd")]
    public string Algorithm { get; set; } = "";

    /// <summary>The layer names.</summary>
    public static IEnumerable<string> Layers => s_layers.Keys;

    /// <summary>FLOPs of the direct convolution of <paramref name="layer"/>, for the GFLOP/s column.</summary>
    public static long FlopsOf(string layer) => s_layers[layer].Flops;

    [GlobalSetup]
    public void Setup()
    {
        GemmEngine.Provider = new ManagedGemm();
        _previous = Conv2dKernel.ForwardAlgorithm;
        Conv2dKernel.ForwardAlgorithm = Conv2dKernel.ParseAlgorithm(Algorithm);
        _g = s_layers[Layer];
        var rng = new Random(42);
        _input = Alloc(_g.InputLength, rng);
        _weight = Alloc(_g.WeightLength, rng);
        _bias = Alloc(_g.OutChannels, rng);
        _output = Alloc(_g.OutputLength, rng);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Conv2dKernel.ForwardAlgorithm = _previous;
        NativeMemory.AlignedFree(_input);
        NativeMemory.AlignedFree(_weight);
        NativeMemory.AlignedFree(_bias);
        NativeMemory.AlignedFree(_output);
    }

    [Benchmark]
    public void Forward() => Conv2dKernel.Forward(_g, _input, _weight, _bias, _output);

    private static float* Alloc(int length, Random rng)
    {
        var p = (float*)NativeMemory.AlignedAlloc((nuint)length * sizeof(float), 64);
        for (int i = 0; i < length; i++) p[i] = (float)(rng.NextDouble() - 0.5);
        return p;
    }

    /// <summary>Adds the GFLOP/s column: the layer's direct-convolution FLOPs per pass.</summary>
    private sealed class GflopsConfig : ManualConfig
    {
        public GflopsConfig() => AddColumn(ThroughputColumn.Gflops(c => c.Parameters["Layer"] is string layer ? FlopsOf(layer) : null));
    }
}
