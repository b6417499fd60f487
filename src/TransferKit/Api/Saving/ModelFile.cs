using TransferKit.Models;
using TransferKit.Tensors;
using TransferKit.Weights;

namespace TransferKit.Api;

/// <summary>
/// Reads and writes trained models: one safetensors file with the network's tensors (torchvision key names) and a
/// <see cref="ModelMetadata"/> JSON in <c>__metadata__</c>. Writing is atomic (temporary file, then rename), so a crash
/// never leaves a half-written model. Loading verifies the header, a SHA-256 of the metadata JSON (stored beside it as
/// <c>transferkit.sha256</c>), every metadata field, and a SHA-256 of the tensors recorded in the metadata, so a changed
/// byte anywhere either fails the load with a <see cref="ModelFileException"/> or cannot change a prediction.
/// </summary>
/// <remarks>
/// Files of format version 1 (before the metadata seal) still load: their fields are validated and their tensors
/// verified, but a change to their metadata that stays valid is not detected. Saving again writes version 2.
/// </remarks>
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
        var sealedMeta = metadata with { Version = ModelMetadata.CurrentVersion, TensorChecksum = IntegrityChecksum.OfTensors(state) };
        SafetensorsWriter.Write(path, state, IntegrityChecksum.Seal(MetadataKey, sealedMeta.ToJson()));
    }

    /// <summary>Loads a model file: rebuilds the network from its blueprint, loads every tensor strictly, verifies the checksum.</summary>
    /// <returns>The network in evaluation mode, and the metadata.</returns>
    /// <exception cref="ModelFileException">
    /// The file is missing, truncated, corrupted, of another format, has a metadata field out of range (named in the
    /// message), or does not match its blueprint. No other exception escapes for a bad file.
    /// </exception>
    public static (ConvNet Network, ModelMetadata Metadata) Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = Open(path);
        var meta = ReadMetadata(file);
        RequireHeadFitsTensors(file, meta.Network);
        ConvNet network;
        try
        {
            network = meta.Network.Build();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            string field = meta.Network.Onnx is null ? "network" : "network.onnx";
            throw new ModelFileException(path, $"its network cannot be rebuilt from its metadata field '{field}': {e.Message}", e);
        }
        try
        {
            var state = new Dictionary<string, Tensor>();
            try
            {
                foreach (var info in file.Tensors) state[info.Name] = file.ReadTensor(info.Name);
                if (IntegrityChecksum.OfTensors(state) != meta.TensorChecksum)
                    throw new ModelFileException(path, "its tensor data does not match the checksum written with it: the file is corrupted.");
                network.LoadStateDict(state, strict: true);
            }
            finally
            {
                foreach (var t in state.Values) t.Dispose();
            }
        }
        catch (Exception e) when (e is Nn.StateDictMismatchException or ShapeMismatchException or ArgumentException)
        {
            network.Dispose();
            throw new ModelFileException(path, $"its tensors do not fit the network its metadata field 'network' describes: {e.Message}", e);
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
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException(path, $"it cannot be read: {e.Message}", e);
        }
    }

    private static ModelMetadata ReadMetadata(SafetensorsFile file)
    {
        if (!file.Metadata.TryGetValue(MetadataKey, out string? json))
            throw new ModelFileException(file.Path, "it has no TransferKit metadata; it is a weights file, not a trained model (load it with WeightsLoader).");
        bool? intact = IntegrityChecksum.Verify(file.Metadata, MetadataKey, json);
        if (intact == false)
            throw new ModelFileException(file.Path, "its metadata does not match the checksum written with it: the file is corrupted.");
        var meta = ModelMetadata.FromJson(json, file.Path);
        if (intact is null && meta.Version >= 2)
            throw new ModelFileException(file.Path, $"its metadata checksum '{MetadataKey}{IntegrityChecksum.SealSuffix}' is missing: the file is corrupted.");
        return meta;
    }

    /// <summary>
    /// Before anything is allocated: the output layer's units must be the first dimension of some tensor in the file, and
    /// the head's parameters and the left-out weights of an ONNX graph cannot outnumber the file's values. Exact shapes are checked when the tensors are loaded.
    /// </summary>
    private static void RequireHeadFitsTensors(SafetensorsFile file, NetworkBlueprint blueprint)
    {
        long total = 0, widest = 0;
        foreach (var info in file.Tensors)
        {
            total += info.ElementCount;
            if (info.Shape.Length > 0) widest = Math.Max(widest, info.Shape[0]);
        }
        // The left-out ONNX weights are allocated (zero) before the tensors fill them: no more than the file holds.
        if (blueprint.Onnx is { } onnx && onnx.LeftOutValues() > total)
            throw new ModelFileException(file.Path, $"its metadata field 'network.onnx.graph.initializers' describes {onnx.LeftOutValues()} weight values; the file holds {total}.");
        long outputs = blueprint.Head?.OutputUnits(blueprint.Classes) ?? blueprint.Classes;
        if (outputs > widest)
            throw new ModelFileException(file.Path, $"its metadata field 'network.classes' ({blueprint.Classes}) does not fit its tensors: none has {outputs} rows.");
        if (blueprint.Head is not { } head) return;
        var map = blueprint.FeatureMapShape;
        // In double: the validated sizes can still multiply past long.
        double features = head.Pooling switch
        {
            HeadPooling.Concat => 2.0 * map[0],
            HeadPooling.Flatten => (double)map[0] * map[1] * map[2],
            _ => map[0],
        };
        double parameters = 0;
        foreach (var hidden in head.HiddenLayers)
        {
            parameters += (hidden.BatchNorm ? 2 * features : 0) + (features + 1) * hidden.Units;
            features = hidden.Units;
        }
        parameters += (features + 1) * outputs;
        if (parameters > total)
            throw new ModelFileException(file.Path, $"its metadata fields 'network.head' and 'network.featureMapShape' describe a head of {parameters} parameters; the file holds {total} values.");
    }
}
