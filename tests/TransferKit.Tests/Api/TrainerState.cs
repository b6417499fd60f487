using TransferKit.Api;
using TransferKit.Models;
using TransferKit.Weights;

namespace TransferKit.Tests.Api;

/// <summary>What the trainer tests compare and start from: a network's values by key, and a saved small backbone.</summary>
internal static class TrainerState
{
    /// <summary>Every state-dict entry of the trainer's network, copied, for bit-exact comparisons.</summary>
    public static Dictionary<string, float[]> Of(ImageClassifierTrainer trainer) =>
        trainer.Network.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());

    /// <summary>Writes (once) a 5-class baseline CNN with <paramref name="channels"/> as "backbone.safetensors" in <paramref name="directory"/>.</summary>
    public static string BackboneWeights(string directory, IReadOnlyList<int> channels)
    {
        string path = Path.Combine(directory, "backbone.safetensors");
        if (File.Exists(path)) return path;
        using var net = new BaselineCnn(new BaselineCnnOptions { Channels = channels, Classes = 5, Seed = 3 });
        SafetensorsWriter.Write(path, net.StateDict());
        return path;
    }
}
