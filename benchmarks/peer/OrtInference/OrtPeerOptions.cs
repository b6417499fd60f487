using System.Globalization;

namespace TransferKit.Benchmarks.Peer;

/// <summary>The peer's command line: the folder of exported networks, which networks, how many timed batches, threads.</summary>
internal sealed record OrtPeerOptions(string Folder, IReadOnlyList<string> Networks, int Steps, int Threads)
{
    public static OrtPeerOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
            throw new ArgumentException("usage: OrtInference DIR [--networks a,b] [--steps N] [--threads N]");
        var o = new OrtPeerOptions(args[0], ["resnet18", "resnet50", "mobilenet_v2", "efficientnet_b0", "inception_v3", "densenet121"], 5, 2);
        for (int i = 1; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--networks" => o with { Networks = Next().Split(',') },
                "--steps" => o with { Steps = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--threads" => o with { Threads = int.Parse(Next(), CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return o;
    }
}
