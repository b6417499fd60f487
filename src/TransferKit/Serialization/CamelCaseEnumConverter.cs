using System.Text.Json;
using System.Text.Json.Serialization;

namespace TransferKit.Serialization;

/// <summary>
/// Writes <typeparamref name="TEnum"/> as its camel-case name (<c>bilinear</c>) and reads it back. A closed, parameterless
/// converter type, so source-generated contexts can name it and no reflection is needed (trimming and AOT safe).
/// </summary>
internal sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;
