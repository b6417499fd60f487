using System.Security.Cryptography;

namespace TransferKit.Weights;

/// <summary>SHA-256 digests as lowercase hexadecimal text.</summary>
internal static class Sha256Hex
{
    /// <summary>Characters in a SHA-256 hex digest.</summary>
    public const int Length = 64;

    /// <summary>Whether <paramref name="text"/> is 64 hexadecimal digits (either case).</summary>
    public static bool IsValid(string? text) => text is { Length: Length } && text.All(char.IsAsciiHexDigit);

    /// <summary>Lowercase form of a valid digest, for comparisons and file names.</summary>
    public static string Normalize(string text) => text.ToLowerInvariant();

    /// <summary>The digest of a file's contents.</summary>
    public static async Task<string> OfFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        byte[] hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The digest of <paramref name="text"/>'s UTF-8 bytes.</summary>
    public static string OfText(string text) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
