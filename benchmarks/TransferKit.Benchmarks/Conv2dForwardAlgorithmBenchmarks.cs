using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using TransferKit.Kernels.Convolution;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Benchmarks;

/// <summary>
/// The forward pass and the input gradient of every distinct 3x3 stride-1 layer of VGG-16 and ResNet-50, batch 8, by
/// im2col + GEMM and by Winograd F(2x2, 3x3), side by side, with the managed GEMM (the default on AVX-512 CPUs).
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
        _input = NativeBuffers.Random(_g.InputLength, rng);
        _weight = NativeBuffers.Random(_g.WeightLength, rng);
        _bias = NativeBuffers.Random(_g.OutChannels, rng);
        _output = NativeBuffers.Random(_g.OutputLength, rng);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Conv2dKernel.ForwardAlgorithm = _previous;
        NativeBuffers.Free((nint)_input, (nint)_weight, (nint)_bias, (nint)_output);
    }

    [Benchmark]
    public void Forward() => Conv2dKernel.Forward(_g, _input, _weight, _bias, _output);

    /// <summary>The input gradient, which takes the same path (the output gradient convolved with the rotated kernel); it adds into the input buffer.</summary>
    [Benchmark]
    public void BackwardData() => Conv2dKernel.BackwardData(_g, _output, _weight, _input);

    /// <summary>Adds the GFLOP/s column: the layer's direct-convolution FLOPs per pass.</summary>
    private sealed class GflopsConfig : ManualConfig
    {
        public GflopsConfig() => AddColumn(ThroughputColumn.Gflops(c => c.Parameters["Layer"] is string layer ? FlopsOf(layer) : null));
    }
}
