namespace TransferKit.Kernels.Gemm;

/// <summary>
/// GEMM on bfloat16 inputs with fp32 accumulation and an fp32 result: the operands are rounded to bfloat16 as they
/// are packed, and <see cref="BFloat16MicroKernel"/> multiplies them with AVX512-BF16's <c>vdpbf16ps</c>, twice the
/// multiply-adds per instruction of fp32 FMA. Each product's error is that of rounding both inputs to 8 significant
/// bits (relative 2^-9 each); the sums are fp32. It needs an x86-64 CPU with AVX512-BF16 on Linux
/// (<see cref="IsAvailable"/>); elsewhere callers keep fp32.
/// </summary>
internal static unsafe class BFloat16Gemm
{
    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, float*, float*, float*, nint, float, float*, float*, nint, nint, void> s_kernel;

    static BFloat16Gemm()
    {
        nint entry = ExecutableCode.TryMapBFloat16(BFloat16MicroKernelCode.X64SystemV, BFloat16MicroKernelCode.Sha256, out string reason);
        if (entry == 0)
        {
            UnavailableReason = reason;
            return;
        }
        s_kernel = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, float*, float*, float*, nint, float, float*, float*, nint, nint, void>)entry;
    }

    /// <summary>Whether the bfloat16 kernel runs here: AVX512-BF16 and Linux x64, with the kernel mapped.</summary>
    public static bool IsAvailable => s_kernel != null && !SimulateUnavailable;

    /// <summary>Why <see cref="IsAvailable"/> is false; null when it is true.</summary>
    public static string? UnavailableReason
    {
        get => SimulateUnavailable ? "bfloat16 was switched off for a test" : field;
        private set;
    }

    /// <summary>Tests set this to take the fallback paths on a machine that has the instructions.</summary>
    internal static bool SimulateUnavailable { get; set; }

    /// <summary>Calls the mapped micro-kernel; see <see cref="BFloat16MicroKernel.Run"/>.</summary>
    internal static void Kernel(int slots, float* a, float* b, float* c, nint ldc, float beta) => s_kernel(slots, a, b, c, ldc, beta, null, null, 0, 0);

    /// <summary>
    /// The micro-kernel with a convolution's epilogue applied to its accumulators before the one store:
    /// C[i, j] = act(A·B + beta·C + <paramref name="bias"/>[i] + <paramref name="residual"/>[i * ldr + j]), bias and
    /// residual optional (null), <paramref name="activation"/> one of <see cref="FusedActivation"/>'s codes.
    /// </summary>
    internal static void KernelFused(int slots, float* a, float* b, float* c, nint ldc, float beta, float* bias, float* residual, nint ldr, int activation) =>
        s_kernel(slots, a, b, c, ldc, beta, bias, residual, ldr, activation);

    /// <summary>The code the micro-kernel applies for <paramref name="activation"/>: 0 identity, 1 ReLU, 2 ReLU6, 3 SiLU; -1 where it has none.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static int FusedActivation(Activations.ActivationKind activation) => activation switch
    {
        Activations.ActivationKind.Identity => 0,
        Activations.ActivationKind.ReLU => 1,
        Activations.ActivationKind.ReLU6 => 2,
        Activations.ActivationKind.SiLU => 3,
        _ => -1,
    };

    /// <summary>
    /// C = epilogue(alpha * op(A) * op(B) + beta * C) with bfloat16 operands, where the product is large enough for the
    /// blocked driver; false (nothing done) where it is not (a skinny or empty product, k = 0, alpha = 0, or the kernel
    /// unavailable), so that the caller runs fp32 instead. A <paramref name="prologue"/> (B untransposed) transforms B's
    /// rows before they are rounded.
    /// </summary>
    public static bool TryRun(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, GemmEpilogue epilogue, PackedLeftOperand? packedA = null,
        GemmPrologue prologue = default)
    {
        if (!IsAvailable || m == 0 || n == 0 || k == 0 || alpha == 0 || SkinnyGemm.Applies(m, n)) return false;
        GemmArguments.Validate(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
        BlockedGemm<BFloat16MicroKernel>.Run(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue, packedA, prologue: prologue);
        return true;
    }
}
