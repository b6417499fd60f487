using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using TransferKit.Data.Decoding;
using TransferKit.Data.Preprocessing;
using TransferKit.Models;

namespace TransferKit.Benchmarks;

/// <summary>
/// The evaluation input pipeline on a batch of 500x375 quality-90 JPEGs (synthetic photos, 8 distinct, about 65 KB
/// each): decode, resize the shorter side to 256 (bilinear, Pillow-exact), centre-crop 224, normalise to CHW floats,
/// images in parallel on <see cref="Threads"/> threads. With <see cref="DctScaling"/> the decoder reduces in the DCT
/// domain first (ImageDecodeOptions.MinimumSize = 256: 3/4 scale, 375x282), which changes the pixels slightly.
/// The peer is benchmarks/peer/pillow_preprocess.py (Pillow, two processes; <c>--decode-only</c> for the decode alone), run
/// beside the <c>peer-preprocess</c> and <c>peer-decode</c> modes by benchmarks/peer/run_all.sh.
/// Run: dotnet run -c Release --project benchmarks/TransferKit.Benchmarks -- --filter '*Preprocessing*'
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10)]
[Config(typeof(ImagesPerSecondConfig))]
public class PreprocessingBenchmarks
{
    /// <summary>Images per benchmark call.</summary>
    public const int BatchSize = 64;

    private readonly EvaluationTransform _transform = new(PreprocessingSpec.ImageNet224);
    private byte[][] _jpegs = [];
    private DecodedImage[] _decoded = [];
    private float[][] _outputs = [];
    private ImageDecodeOptions _options = ImageDecodeOptions.Default;

    /// <summary>Worker threads (the images of the batch are spread over them).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Whether the decoder reduces the JPEG by DCT scaling to at least 256 pixels a side.</summary>
    [ParamsAllValues]
    public bool DctScaling { get; set; }

    /// <summary>Encodes the photos and decodes them once (for the transform-only case).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _options = DctScaling ? new ImageDecodeOptions { MinimumSize = 256 } : ImageDecodeOptions.Default;
        _jpegs = Enumerable.Range(1, 8).Select(seed => JpegEncoder.Encode(SyntheticPhoto.Generate(500, 375, seed), quality: 90)).ToArray();
        _decoded = _jpegs.Select(j => ImageDecoder.Decode(j, "photo.jpg", _options)).ToArray();
        _outputs = Enumerable.Range(0, BatchSize).Select(_ => new float[3 * 224 * 224]).ToArray();
    }

    /// <summary>Decode, resize, crop and normalise every image of the batch.</summary>
    [Benchmark(Baseline = true)]
    public void DecodeAndTransform() => ForEachImage(i =>
    {
        DecodedImage image = ImageDecoder.Decode(_jpegs[i % _jpegs.Length], "photo.jpg", _options);
        _transform.Apply(image, _outputs[i], TransformContext.Evaluation);
    });

    /// <summary>Decoding alone.</summary>
    [Benchmark]
    public void DecodeOnly() => ForEachImage(i => ImageDecoder.Decode(_jpegs[i % _jpegs.Length], "photo.jpg", _options));

    /// <summary>Resize, crop and normalise of already decoded images.</summary>
    [Benchmark]
    public void TransformOnly() => ForEachImage(i => _transform.Apply(_decoded[i % _decoded.Length], _outputs[i], TransformContext.Evaluation));

    private void ForEachImage(Action<int> body)
    {
        if (Threads == 1)
        {
            for (int i = 0; i < BatchSize; i++) body(i);
            return;
        }

        Parallel.For(0, BatchSize, new ParallelOptions { MaxDegreeOfParallelism = Threads }, body);
    }

    /// <summary>Adds the images/s column.</summary>
    private sealed class ImagesPerSecondConfig : ManualConfig
    {
        public ImagesPerSecondConfig() => AddColumn(ThroughputColumn.ImagesPerSecond(_ => BatchSize));
    }
}
