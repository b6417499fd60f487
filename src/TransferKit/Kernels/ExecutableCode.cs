using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace TransferKit.Kernels;

/// <summary>
/// Machine code that the library carries as bytes (a kernel compiled ahead of time for an instruction .NET has no
/// intrinsic for) mapped into executable memory: written into fresh anonymous pages, which are then made read-only and
/// executable, never writable and executable at once. Linux only, through libc's <c>mmap</c> and <c>mprotect</c>. The
/// pages live for the rest of the process.
/// </summary>
internal static unsafe class ExecutableCode
{
    private const int ProtRead = 1, ProtWrite = 2, ProtExec = 4;
    private const int MapPrivate = 0x02, MapAnonymous = 0x20;

    /// <summary>As <see cref="TryMap"/> for a kernel built on AVX512-BF16: 0 with the reason on a CPU without it.</summary>
    public static nint TryMapBFloat16(ReadOnlySpan<byte> code, string expectedSha256, out string reason)
    {
        if (!CpuFeatures.Avx512BFloat16)
        {
            reason = "this CPU does not support AVX512-BF16";
            return 0;
        }
        return TryMap(code, expectedSha256, out reason);
    }

    /// <summary>
    /// Maps <paramref name="code"/> after checking it against <paramref name="expectedSha256"/> and returns the address
    /// of its first byte, or 0 with the reason in <paramref name="reason"/>.
    /// </summary>
    public static nint TryMap(ReadOnlySpan<byte> code, string expectedSha256, out string reason)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            reason = $"precompiled kernels run on Linux x64 only (this is {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture})";
            return 0;
        }
        string actual = Convert.ToHexStringLower(SHA256.HashData(code));
        if (actual != expectedSha256)
        {
            reason = $"the embedded kernel's SHA-256 is {actual}, not {expectedSha256}";
            return 0;
        }
        if (!NativeLibrary.TryLoad("libc.so.6", out nint libc)
            || !NativeLibrary.TryGetExport(libc, "mmap", out nint mmapAddress)
            || !NativeLibrary.TryGetExport(libc, "mprotect", out nint mprotectAddress))
        {
            reason = "libc.so.6 with mmap and mprotect was not found";
            return 0;
        }
        var mmap = (delegate* unmanaged[Cdecl]<nint, nuint, int, int, int, nint, nint>)mmapAddress;
        var mprotect = (delegate* unmanaged[Cdecl]<nint, nuint, int, int>)mprotectAddress;
        nuint length = (nuint)code.Length;
        nint pages = mmap(0, length, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (pages == -1 || pages == 0)
        {
            reason = $"mmap failed (errno {Marshal.GetLastSystemError()})";
            return 0;
        }
        code.CopyTo(new Span<byte>((void*)pages, code.Length));
        if (mprotect(pages, length, ProtRead | ProtExec) != 0)
        {
            // The pages stay mapped but unused: a few bytes, once per process.
            reason = $"mprotect to read+execute failed (errno {Marshal.GetLastSystemError()}); the system forbids executable mappings";
            return 0;
        }
        reason = "mapped";
        return pages;
    }
}
