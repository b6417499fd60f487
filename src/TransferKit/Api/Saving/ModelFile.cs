using System.Security.Cryptography;
using System.Text;
using TransferKit.Models;
using TransferKit.Tensors;
using TransferKit.Weights;

namespace TransferKit.Api;

/// <summary>
/// Reads and writes trained models: one safetensors file with the network's tensors (torchvision key names) and a
/// <see cref="ModelMetadata"/> JSON in <c>__metadata__</c>. Writing is atomic (temporary file, then rename), so a crash
/// never leaves a half-written model; loading verifies the header, the metadata and a SHA-256 of the tensors.
/// </summary>
public static class ModelFile
{
    private const string MetadataKey = "transferkit";

    /// <summary>Writes <paramref name="network"/> with <paramref name="metadata"/> (its checksum is computed here) to <paramref name="path"/>.</summary>
    public static void Save(string path, ConvNet network, ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(metadata);
        var state = network.StateDict();
        var withChecksum = metadata with { TensorChecksum = Checksum(state) };
        SafetensorsWriter.Write(path, state, new Dictionary<string, string> { [MetadataKey] = withChecksum.ToJson() });
    }

    /// <summary>Loads a model file: rebuilds the network from its blueprint, loads every tensor strictly, verifies the checksum.</summary>
    /// <returns>The network in evaluation mode, and the metadata.</returns>
    /// <exception cref="ModelFileException">The file is missing, truncated, corrupted, of another format, or does not match its blueprint.</exception>
    public static (ConvNet Network, ModelMetadata Metadata) Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = Open(path);
        var meta = ReadMetadata(file);
        ConvNet network;
        try
        {
            network = meta.Network.Build();
        }
        catch (ArgumentException e)
        {
            throw new ModelFileException(path, $"its network cannot be rebuilt: {e.Message}", e);
        }
        try
        {
            var state = new Dictionary<string, Tensor>();
            try
            {
                foreach (var info in file.Tensors) state[info.Name] = file.ReadTensor(info.Name);
                if (Checksum(state) != meta.TensorChecksum)
                    throw new ModelFileException(path, "its tensor data does not match the checksum written with it: the file is corrupted.");
                network.LoadStateDict(state, strict: true);
            }
            finally
            {
                foreach (var t in state.Values) t.Dispose();
            }
        }
        catch (Exception e) when (e is Nn.StateDictMismatchException or ShapeMismatchException)
        {
            network.Dispose();
            throw new ModelFileException(path, $"its tensors do not fit the network it describes: {e.Message}", e);
        }
        catch
        {
            network.Dispose();
            throw;
        }
        network.Eval();
        return (network, meta);
    }

    /// <summary>Reads and checks only the metadata of a model file (the tensors are neither read nor verified).</summary>
    /// <exception cref="ModelFileException">The file is missing, not a valid safetensors file, or not a TransferKit model.</exception>
    public static ModelMetadata ReadMetadata(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = Open(path);
        return ReadMetadata(file);
    }

    private static SafetensorsFile Open(string path)
    {
        if (!File.Exists(path)) throw new ModelFileException(path, "the file does not exist.");
        try
        {
            return SafetensorsFile.Open(path);
        }
        catch (SafetensorsFormatException e)
        {
            throw new ModelFileException(path, $"it is not a valid model file: {e.Reason}", e);
        }
    }

    private static ModelMetadata ReadMetadata(SafetensorsFile file)
    {
        if (!file.Metadata.TryGetValue(MetadataKey, out string? json))
            throw new ModelFileException(file.Path, "it has no TransferKit metadata; it is a weights file, not a trained model (load it with WeightsLoader).");
        return ModelMetadata.FromJson(json, file.Path);
    }


    /// <summary>SHA-256 over each tensor's name, shape and float32 bytes, in ordinal name order.</summary>
    internal static string Checksum(IReadOnlyDictionary<string, Tensor> state)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in state.Keys.Order(StringComparer.Ordinal))
        {
            var t = state[name];
            hash.AppendData(Encoding.UTF8.GetBytes($"{name}:{t.Shape}\n"));
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.ReadOnlySpan));
        }
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }
}
