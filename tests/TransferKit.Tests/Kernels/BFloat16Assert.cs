using System.Security.Cryptography;

namespace TransferKit.Tests.Kernels;

/// <summary>Checks shared by the tests of the precompiled bfloat16 kernels.</summary>
internal static class BFloat16Assert
{
    /// <summary>
    /// <paramref name="bfloat16"/> differs from <paramref name="float32"/> as rounding the inputs of many products of
    /// random sign does: by more than nothing (something was rounded) and by at most 2% of the largest float32 value
    /// (each product is off by at most 2^-8 relative, so a sum of a few hundred stays near 1% of the largest entries).
    /// </summary>
    public static void DiffersOnlyByRounding(float[] float32, float[] bfloat16)
    {
        double worst = 0, scale = 0;
        for (int i = 0; i < float32.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(float32[i] - bfloat16[i]));
            scale = Math.Max(scale, Math.Abs(float32[i]));
        }
        Assert.InRange(worst, 1e-6, 0.02 * scale);
    }

    /// <summary>
    /// The embedded machine code in <paramref name="generated"/> (under src/TransferKit) was generated from
    /// tools/bfloat16-kernel/<paramref name="source"/> as it is now (else run tools/bfloat16-kernel/generate.sh), and
    /// <paramref name="code"/> hashes to <paramref name="sha256"/>.
    /// </summary>
    public static void EmbeddedCodeIsTheSourceCompiled(string source, string generated, ReadOnlySpan<byte> code, string sha256)
    {
        string sourcePath = Path.Combine(RepositoryPaths.Root, "tools", "bfloat16-kernel", source);
        string generatedPath = Path.Combine(RepositoryPaths.Root, "src", "TransferKit", generated);
        string sourceHash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(sourcePath)));
        Assert.Contains($"// Source SHA-256 {sourceHash}", File.ReadAllText(generatedPath), StringComparison.Ordinal);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(code)));
    }
}
