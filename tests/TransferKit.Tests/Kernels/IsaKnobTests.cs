using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Tests.Kernels;

/// <summary>
/// CI runs the tests a second time with the runtime's AVX-512 knob off (<c>.ci/run</c>) and
/// <c>TRANSFERKIT_EXPECT_NO_AVX512=1</c>; this checks that the knob took, so that the second run really exercised the
/// AVX2 paths rather than the AVX-512 ones twice.
/// </summary>
public class IsaKnobTests
{
    [Fact]
    public void TheAvx512KnobHidesAvx512WhereCiAsksForIt()
    {
        if (Environment.GetEnvironmentVariable("TRANSFERKIT_EXPECT_NO_AVX512") != "1") return;
        Assert.False(Avx512F.IsSupported, "DOTNET_EnableAVX512=0 did not hide AVX-512 from this runtime");
        Assert.False(Vector512.IsHardwareAccelerated);
        Assert.Equal(GemmVectorWidth.Bits256, ManagedGemm.WidestAccelerated);
    }
}
