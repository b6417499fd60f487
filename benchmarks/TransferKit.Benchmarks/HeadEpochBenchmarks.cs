using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using TransferKit.Kernels;
using TransferKit.Kernels.Gemm;
using TransferKit.Models;
using TransferKit.Nn;
using TransferKit.Tensors;
using TransferKit.Training;
using TransferKit.Training.Caching;
using TransferKit.Training.Optimizers;

namespace TransferKit.Benchmarks;

/// <summary>
/// One epoch of a classifier head on cached features (the work every epoch does once the frozen backbone's output is
/// cached): 25,000 fixed random samples of [2048, 1, 1], 2 classes, batch 64, Adam, shuffled per epoch.
/// <c>benchmarks/peer/head_epoch.py</c> runs the same epoch in PyTorch.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(1)]
[IterationCount(5)]
[InvocationCount(1)]
public class HeadEpochBenchmarks
{
    private HeadEpoch? _epoch;

    /// <summary>"linear" (GAP + Linear(2048, 2)) or "mlp" (GAP, then [BN, Linear, ReLU, Dropout 0.5] x (256, 128, 64), Linear 2).</summary>
    [Params("linear", "mlp")]
    public string Model { get; set; } = "linear";

    [GlobalSetup]
    public void Setup() => _epoch = new HeadEpoch(Model);

    [GlobalCleanup]
    public void Cleanup() => _epoch?.Dispose();

    [Benchmark]
    public float Epoch() => _epoch!.RunEpoch();
}

/// <summary>The head-epoch workload shared by <see cref="HeadEpochBenchmarks"/> and the peer timer.</summary>
internal sealed class HeadEpoch : IDisposable
{
    public const int DefaultSamples = 25_000, Features = 2048, Classes = 2, Batch = 64, Seed = 5;

    private readonly ActivationCache _features;
    private readonly int[] _labels;
    private readonly Module _head;
    private readonly Adam _optimizer;
    private readonly ClassificationTrainStep _step;
    private int _epoch;

    /// <param name="model">linear or mlp (or the diagnostic linear-flat, mlp-flat).</param>
    /// <param name="samples">Cached samples per epoch (fewer only for smoke tests).</param>
    public HeadEpoch(string model, int samples = DefaultSamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, Batch);
        Samples = samples;
        var spec = model switch
        {
            "linear" or "linear-flat" => HeadSpec.Pooled(),
            "mlp" or "mlp-flat" => HeadSpec.Pooled().Hidden(256, 128, 64).BatchNorm().Dropout(0.5f),
            _ => throw new ArgumentException($"Unknown head model '{model}': use linear, mlp, linear-flat or mlp-flat.", nameof(model)),
        };
        // Fixed random features; the label depends weakly on them so the loss has something to learn.
        // Held in the trainer's own in-memory activation cache, so a batch is gathered exactly as a cached fit gathers it.
        var random = new Random(Seed);
        _features = ActivationCache.TryCreate(Samples, new Shape(Features, 1, 1), new string('0', 64),
            new ActivationCacheOptions { Storage = CacheStorage.Memory, MaxMemoryBytes = 1L << 30 }, out _)!;
        _labels = new int[Samples];
        var sample = new float[Features];
        for (int s = 0; s < Samples; s++)
        {
            for (int i = 0; i < Features; i++) sample[i] = (float)(random.NextDouble() * 2 - 1);
            _features.Write(s, sample);
            _labels[s] = sample[0] + sample[1] > 0 ? 1 : 0;
        }
        var head = new ClassifierHead(spec, Features, 1, 1, Classes, new Random(Seed + 1), dropoutSeed: Seed);
        // Diagnostic "-flat" variants: the same layers behind a plain Flatten, without the head's 1x1 global pooling.
        _head = model.EndsWith("-flat", StringComparison.Ordinal) ? new Sequential(new Flatten(), new Sequential([.. head.Children.Select(c => c.Value)])) : head;
        _optimizer = new Adam(_head, 1e-3f);
        _step = new ClassificationTrainStep(_head, _optimizer);
    }

    /// <summary>Samples per epoch.</summary>
    public int Samples { get; }

    /// <summary>One shuffled pass over the samples (or its first <paramref name="batches"/> batches); returns the last batch's loss.</summary>
    public float RunEpoch(int batches = -1)
    {
        var order = new int[Samples];
        for (int i = 0; i < Samples; i++) order[i] = i;
        new Random(Seed + 100 + _epoch++).Shuffle(order);
        float loss = 0;
        int end = batches < 0 ? Samples : Math.Min(Samples, batches * Batch);
        for (int start = 0; start < end; start += Batch)
        {
            var indices = order.AsSpan(start, Math.Min(Batch, Samples - start));
            using var x = _features.Gather(indices);
            var labels = new int[indices.Length];
            for (int i = 0; i < labels.Length; i++) labels[i] = _labels[indices[i]];
            loss = _step.Run(x, labels).Loss;
        }
        return loss;
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _head.Dispose();
        _features.Dispose();
    }
}

/// <summary>
/// <c>peer-head-epoch [linear|mlp] [epochs] [samples]</c>: 50 warm-up batches, then the median of N timed epochs, printed as
/// the same JSON fields <c>benchmarks/peer/head_epoch.py</c> prints (its <c>--samples</c> matches the third argument).
/// </summary>
internal static class PeerHeadEpoch
{
    private const int WarmupBatches = 50;

    public static int Run(string[] args)
    {
        string model = args.Length > 1 ? args[1] : "linear";
        int epochs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        int samples = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : HeadEpoch.DefaultSamples;
        using var work = new HeadEpoch(model, samples);
        work.RunEpoch(WarmupBatches);
        var times = new double[epochs];
        float loss = 0;
        for (int i = 0; i < epochs; i++)
        {
            var clock = Stopwatch.StartNew();
            loss = work.RunEpoch();
            times[i] = clock.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            framework = "transferkit",
            model,
            gemm = GemmEngine.Provider.Name,
            threads = Parallelism.DegreeOfParallelism,
            epochs,
            samples,
            seconds_per_epoch = Math.Round(times[epochs / 2], 4),
            seconds_min = Math.Round(times[0], 4),
            last_loss = Math.Round(loss, 4),
        }));
        return 0;
    }
}
