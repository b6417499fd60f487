using System.Text.Json;
using System.Text.Json.Serialization;
using TransferKit.Models;

namespace TransferKit.Api;

/// <summary>
/// The versioned description stored in a model file's safetensors <c>__metadata__</c> under the key <c>transferkit</c>:
/// how to rebuild the network, the class names in label order, the preprocessing, and a SHA-256 of the tensor data.
/// </summary>
public sealed record ModelMetadata
{
    /// <summary>The format version this library writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Always "transferkit.model".</summary>
    public string Format { get; init; } = "transferkit.model";

    /// <summary>Format version.</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>How to rebuild the network.</summary>
    public required NetworkBlueprint Network { get; init; }

    /// <summary>Class names; index i is label i.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>The evaluation preprocessing (input size, resize, normalisation) predictions must use.</summary>
    public required PreprocessingSpec Preprocessing { get; init; }

    /// <summary>SHA-256 over the tensors' names and float32 bytes, in name order; verified on load.</summary>
    public string TensorChecksum { get; init; } = "";

    /// <summary>Free-form facts about the run (weights used, freeze depth, epochs), for people.</summary>
    public IReadOnlyDictionary<string, string> Notes { get; init; } = new Dictionary<string, string>();

    internal static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        WriteIndented = false,
    };

    /// <summary>The JSON form.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses and checks the JSON form.</summary>
    /// <exception cref="ModelFileException">The JSON is malformed, of another format or of a newer version.</exception>
    public static ModelMetadata FromJson(string json, string path)
    {
        ModelMetadata? meta;
        try
        {
            meta = JsonSerializer.Deserialize<ModelMetadata>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ModelFileException(path, $"its TransferKit metadata is not valid JSON ({e.Message}).", e);
        }
        if (meta is null || meta.Format != "transferkit.model")
            throw new ModelFileException(path, "it is not a TransferKit model file (format is not 'transferkit.model').");
        if (meta.Version > CurrentVersion)
            throw new ModelFileException(path, $"it was written by a newer TransferKit (format version {meta.Version}; this library reads up to {CurrentVersion}).");
        if (meta.ClassNames.Count != meta.Network.Classes)
            throw new ModelFileException(path, $"it lists {meta.ClassNames.Count} class names for {meta.Network.Classes} classes.");
        return meta;
    }
}
