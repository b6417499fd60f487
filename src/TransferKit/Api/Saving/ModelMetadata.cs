using System.Text.Json;
using TransferKit.Models;
using TransferKit.Serialization;

namespace TransferKit.Api;

/// <summary>
/// The versioned description stored in a model file's safetensors <c>__metadata__</c> under the key <c>transferkit</c>:
/// how to rebuild the network, the class names in label order, the preprocessing, and a SHA-256 of the tensor data.
/// </summary>
public sealed partial record ModelMetadata
{
    /// <summary>The format version this library writes and reads.</summary>
    /// <remarks>
    /// Version 2 seals this JSON with a SHA-256 beside it; version 3 adds <see cref="NetworkBlueprint.Onnx"/>; version 4 adds
    /// <see cref="PreprocessingSpec.ResizeMode"/> (<c>preprocessing.resizeMode</c>). Version 1 to 3 files still load, fully
    /// validated, with the centre crop they were trained with.
    /// </remarks>
    public const int CurrentVersion = 4;

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

    /// <summary>The JSON form.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ModelJsonContext.Default.ModelMetadata);

    /// <summary>Parses the JSON form and validates every field (see <see cref="Validate"/>).</summary>
    /// <exception cref="ModelFileException">
    /// The JSON is malformed, of another format or of a newer version, or a field is missing or out of range; the message
    /// names the field.
    /// </exception>
    public static ModelMetadata FromJson(string json, string path)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(path);
        var meta = StrictJson.Read(json, ModelJsonContext.Default.ModelMetadata,
            (reason, inner) => new ModelFileException(path, $"its TransferKit metadata {reason}.", inner));
        meta.Validate(path);
        return meta;
    }
}
