using System.Globalization;

namespace TransferKit.Benchmarks.Peer;

/// <summary>
/// The peer's command line. Defaults are the measurement; <c>--quick</c> first swaps in tiny sizes (a smoke test of the
/// whole pipeline, never a number to quote), which options after it may still override.
/// </summary>
/// <param name="Folder">Where export_torchvision.py wrote NAME.pth, NAME.onnx, NAME.features.onnx, NAME.upto_layer3.onnx.</param>
/// <param name="Networks">Networks of the inference item.</param>
/// <param name="Items">Which parts run (by default all but the units diagnostic).</param>
/// <param name="Steps">Timed calls per measurement (the median is reported).</param>
/// <param name="Warmup">Untimed calls before them, at least.</param>
/// <param name="WarmupSeconds">Untimed calls go on until this long has passed too: a fresh process runs its first batch-1
/// forwards two to three times slower while the JIT tiers its code up (about ten calls), so a count alone favours
/// whichever side warms up faster.</param>
/// <param name="Batch">Images per call of the throughput rows: inference, fine-tune step and cache fill (latency rows use 1).</param>
/// <param name="CacheNetwork">The frozen backbone of the cache-fill item.</param>
/// <param name="CacheImages">Images the cache fill runs over.</param>
/// <param name="Threads">Threads on each side.</param>
/// <param name="Quick">Whether --quick was given (the report says so).</param>
/// <param name="BFloat16">Whether the inference and cache-fill items add bfloat16 rows (<c>--no-bf16</c> leaves them out; they are
/// left out anyway where the CPU lacks AVX512-BF16).</param>
internal sealed record OrtPeerOptions(
    string Folder, IReadOnlyList<string> Networks, IReadOnlySet<OrtPeerItem> Items, int Steps, int Warmup, int Batch,
    string CacheNetwork, int CacheImages, int Threads, bool Quick, bool BFloat16 = true, double WarmupSeconds = 1.0)
{
    public const string Usage = "usage: OrtInference DIR [--items inference,finetune,cache,units] [--networks a,b] [--quick] [--steps N] "
        + "[--warmup N] [--warmup-seconds S] [--batch N] [--cache-network NAME] [--cache-images N] [--threads N] [--no-bf16]";

    /// <summary>Largest relative difference (max |ours - theirs| / max |theirs|) of outputs that counts as the same network.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>
    /// The same for TransferKit's bfloat16 rows, against ONNX Runtime's float32: rounding every matrix product's inputs to
    /// 8 significant bits moves logits by about 1% of their range through a deep network; a different network moves them by
    /// far more.
    /// </summary>
    public const double BFloat16Tolerance = 5e-2;

    public static OrtPeerOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-')) throw new ArgumentException(Usage);
        var o = new OrtPeerOptions(args[0], ["resnet18", "resnet50", "mobilenet_v2", "efficientnet_b0", "inception_v3", "densenet121"],
            new HashSet<OrtPeerItem> { OrtPeerItem.Inference, OrtPeerItem.FineTune, OrtPeerItem.Cache }, Steps: 5, Warmup: 2, Batch: 16, CacheNetwork: "resnet50",
            CacheImages: 512, Threads: 2, Quick: false);
        for (int i = 1; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Count(int minimum)
            {
                string name = args[i], text = Next();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= minimum
                    ? n
                    : throw new ArgumentException($"{name} needs a whole number of at least {minimum}, not '{text}'");
            }
            double Seconds()
            {
                string name = args[i], text = Next();
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s >= 0
                    ? s
                    : throw new ArgumentException($"{name} needs a number of seconds of at least 0, not '{text}'");
            }
            o = args[i] switch
            {
                "--quick" => o with { Quick = true, Steps = 1, Warmup = 1, WarmupSeconds = 0, Batch = 2, CacheImages = 4 },
                "--items" => o with { Items = ParseItems(Next()) },
                "--networks" => o with { Networks = Next().Split(',', StringSplitOptions.RemoveEmptyEntries) },
                "--steps" => o with { Steps = Count(1) },
                "--warmup" => o with { Warmup = Count(0) },
                "--warmup-seconds" => o with { WarmupSeconds = Seconds() },
                "--batch" => o with { Batch = Count(1) },
                "--cache-network" => o with { CacheNetwork = Next() },
                "--cache-images" => o with { CacheImages = Count(1) },
                "--threads" => o with { Threads = Count(1) },
                "--no-bf16" => o with { BFloat16 = false },
                _ => throw new ArgumentException($"unknown option {args[i]}; {Usage}"),
            };
        }

        return o;
    }

    private static HashSet<OrtPeerItem> ParseItems(string list) => [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(name => name switch
    {
        "inference" => OrtPeerItem.Inference,
        "finetune" => OrtPeerItem.FineTune,
        "cache" => OrtPeerItem.Cache,
        "units" => OrtPeerItem.Units,
        _ => throw new ArgumentException($"--items: unknown item '{name}'; use inference, finetune, cache, units"),
    })];
}
