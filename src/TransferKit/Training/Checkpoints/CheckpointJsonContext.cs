using System.Text.Json.Serialization;

namespace TransferKit.Training.Checkpoints;

/// <summary>
/// Source-generated JSON contract of <see cref="CheckpointMetadata"/> (no reflection: trimming and AOT safe). Named
/// floating-point literals carry a NaN loss in the history; non-nullable properties are enforced on read.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(CheckpointMetadata))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;
