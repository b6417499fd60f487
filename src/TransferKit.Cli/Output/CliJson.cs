using System.Text.Json;
using System.Text.Json.Serialization;

namespace TransferKit.Cli.Output;

/// <summary>The JSON style of the commands' <c>--json</c> output: camelCase, indented, enums as strings.</summary>
internal static class CliJson
{
    /// <summary>The serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Writes <paramref name="value"/> as JSON followed by a newline.</summary>
    public static void Write<T>(TextWriter writer, T value) => writer.WriteLine(JsonSerializer.Serialize(value, Options));
}
