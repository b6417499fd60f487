using System.Runtime.Intrinsics.X86;

namespace TransferKit.Kernels;

/// <summary>Instruction-set extensions that .NET's intrinsics classes do not report, read from CPUID.</summary>
internal static class CpuFeatures
{
    /// <summary>
    /// Whether the CPU and the operating system support AVX512-BF16 (<c>vdpbf16ps</c>): CPUID leaf 7, sub-leaf 1, EAX
    /// bit 5, on top of AVX-512 F (whose check by the runtime includes the OS saving the zmm registers).
    /// </summary>
    public static bool Avx512BFloat16 { get; } = DetectAvx512BFloat16();

    private static bool DetectAvx512BFloat16()
    {
        if (!X86Base.IsSupported || !Avx512F.IsSupported) return false;
        var (maxLeaf, _, _, _) = X86Base.CpuId(0, 0);
        if (maxLeaf < 7) return false;
        var (maxSubLeaf, _, _, _) = X86Base.CpuId(7, 0);
        if (maxSubLeaf < 1) return false;
        var (eax, _, _, _) = X86Base.CpuId(7, 1);
        return (eax & (1 << 5)) != 0;
    }
}
