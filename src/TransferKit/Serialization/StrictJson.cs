using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TransferKit.Serialization;

/// <summary>Reads a file's JSON description through a source-generated contract, turning every way it can fail into the caller's typed error.</summary>
internal static class StrictJson
{
    /// <param name="json">The text.</param>
    /// <param name="contract">The generated contract.</param>
    /// <param name="fail">Makes the caller's exception from a reason and the underlying error (null when the JSON is <c>null</c>).</param>
    /// <returns>The value, never null.</returns>
    public static T Read<T>(string json, JsonTypeInfo<T> contract, Func<string, Exception?, Exception> fail)
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(json, contract);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw fail($"is not valid JSON ({e.Message})", e);
        }
        return value ?? throw fail("is null", null);
    }
}
