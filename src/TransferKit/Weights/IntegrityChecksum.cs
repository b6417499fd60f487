using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using TransferKit.Tensors;

namespace TransferKit.Weights;

/// <summary>
/// The SHA-256 seals that make model files and checkpoints verifiable: one over the tensors (names, shapes, float32
/// bytes), recorded inside the JSON description, and one over that JSON's exact text, stored beside it in
/// <c>__metadata__</c> under the description's key plus <see cref="SealSuffix"/>. Together they cover every byte that
/// can change what a load returns.
/// </summary>
internal static class IntegrityChecksum
{
    /// <summary>Appended to a metadata key to name the entry holding the SHA-256 of its value.</summary>
    public const string SealSuffix = ".sha256";

    /// <summary>SHA-256 over each tensor's name, shape and float32 bytes, in ordinal name order (lower-case hex).</summary>
    public static string OfTensors(IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, t) in tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{name}:{t.Shape}\n"));
            hash.AppendData(MemoryMarshal.AsBytes(t.ReadOnlySpan));
        }
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    /// <summary>The <c>__metadata__</c> entries for <paramref name="json"/> under <paramref name="key"/>, sealed.</summary>
    public static Dictionary<string, string> Seal(string key, string json) => new()
    {
        [key] = json,
        [key + SealSuffix] = OfText(json),
    };

    /// <summary>
    /// Checks the seal of <paramref name="key"/>'s value: null when the file has no seal for it (written before seals
    /// existed), true when it matches, false when the value or the seal was changed.
    /// </summary>
    public static bool? Verify(IReadOnlyDictionary<string, string> metadata, string key, string json) =>
        metadata.TryGetValue(key + SealSuffix, out string? seal) ? seal == OfText(json) : null;

    /// <summary>Whether <paramref name="checksum"/> has the form this class writes (64 lower-case hex digits).</summary>
    public static bool IsWellFormed(string? checksum) =>
        checksum is { Length: 64 } && !checksum.AsSpan().ContainsAnyExcept("0123456789abcdef");

    private static string OfText(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
