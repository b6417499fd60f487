using System.Security.Cryptography;
using System.Text;

namespace TransferKit.Training.Caching;

/// <summary>
/// Builds the SHA-256 fingerprint that decides whether cached activations may be reused: everything that changes what
/// the frozen prefix computes goes in — the data (paths, sizes, modification times), the weights, the freeze point and
/// the preprocessing. Entries are length-prefixed, so ("ab", "c") and ("a", "bc") differ.
/// </summary>
public sealed class CacheFingerprint
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>Adds a named value.</summary>
    public CacheFingerprint Add(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        AppendString(key);
        AppendString(value);
        return this;
    }

    /// <summary>Adds a file's full path, length and last write time (not its bytes: reading 25,000 images twice is what the cache avoids).</summary>
    public CacheFingerprint AddFile(string path)
    {
        var info = new FileInfo(path);
        return Add("file", $"{info.FullName}|{(info.Exists ? info.Length : -1)}|{(info.Exists ? info.LastWriteTimeUtc.Ticks : 0)}");
    }

    /// <summary>Adds raw bytes, e.g. an in-memory image's encoded content.</summary>
    public CacheFingerprint Add(string key, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(key);
        AppendString(key);
        Span<byte> length = stackalloc byte[8];
        BitConverter.TryWriteBytes(length, (long)bytes.Length);
        _hash.AppendData(length);
        _hash.AppendData(bytes);
        return this;
    }

    /// <summary>Adds raw numbers, e.g. a parameter tensor's values.</summary>
    public CacheFingerprint Add(string key, ReadOnlySpan<float> values)
    {
        AppendString(key);
        Span<byte> length = stackalloc byte[8];
        BitConverter.TryWriteBytes(length, (long)values.Length);
        _hash.AppendData(length);
        _hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
        return this;
    }

    /// <summary>The fingerprint as 64 lowercase hex digits.</summary>
    public string ToHex() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    private void AppendString(string s)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(s);
        Span<byte> length = stackalloc byte[4];
        BitConverter.TryWriteBytes(length, bytes.Length);
        _hash.AppendData(length);
        _hash.AppendData(bytes);
    }
}
