using System.Text.Json.Serialization;
using TransferKit.Kernels.Activations;
using TransferKit.Models;
using TransferKit.Serialization;
using TransferKit.Weights.Onnx;

namespace TransferKit.Api;

/// <summary>
/// Source-generated JSON contract of <see cref="ModelMetadata"/> (no reflection: trimming and AOT safe). Enums are
/// camel-case names, never numbers; non-nullable properties and required constructor parameters are enforced on read, so
/// <c>"network": null</c> fails as malformed JSON instead of loading.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    Converters = [
        typeof(CamelCaseEnumConverter<ResizeInterpolation>), typeof(CamelCaseEnumConverter<ResizeMode>),
        typeof(CamelCaseEnumConverter<ChannelOrder>),
        typeof(CamelCaseEnumConverter<HeadPooling>), typeof(CamelCaseEnumConverter<HeadOutput>),
        typeof(CamelCaseEnumConverter<ActivationKind>), typeof(CamelCaseEnumConverter<OnnxDataType>),
        typeof(CamelCaseEnumConverter<OnnxAttributeType>)],
    // An imported graph's constants may hold infinities (a Clip bound).
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ModelMetadata))]
[JsonSerializable(typeof(PreprocessingSpec))]
internal sealed partial class ModelJsonContext : JsonSerializerContext;
