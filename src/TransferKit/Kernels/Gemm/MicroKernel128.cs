using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace TransferKit.Kernels.Gemm;

/// <summary>
/// A 6 x 8 tile in twelve 128-bit accumulators, for machines without 256-bit vectors (ARM NEON, or x64 with
/// AVX disabled). It multiplies and adds separately where the CPU has no FMA, because the software FMA
/// fallback is far slower than the rounding difference is worth.
/// </summary>
internal readonly unsafe struct MicroKernel128 : IGemmMicroKernel
{
    public static int Mr => 6;

    public static int Nr => 8;

    public static bool PacksBFloat16Pairs => false;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, float beta)
    {
        Vector128<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector128<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector128<float> c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector128<float> b0 = Vector128.Load(b);
            Vector128<float> b1 = Vector128.Load(b + 4);
            Vector128<float> av = Vector128.Create(a[0]);
            c00 = MulAdd(av, b0, c00);
            c01 = MulAdd(av, b1, c01);
            av = Vector128.Create(a[1]);
            c10 = MulAdd(av, b0, c10);
            c11 = MulAdd(av, b1, c11);
            av = Vector128.Create(a[2]);
            c20 = MulAdd(av, b0, c20);
            c21 = MulAdd(av, b1, c21);
            av = Vector128.Create(a[3]);
            c30 = MulAdd(av, b0, c30);
            c31 = MulAdd(av, b1, c31);
            av = Vector128.Create(a[4]);
            c40 = MulAdd(av, b0, c40);
            c41 = MulAdd(av, b1, c41);
            av = Vector128.Create(a[5]);
            c50 = MulAdd(av, b0, c50);
            c51 = MulAdd(av, b1, c51);
            a += 6;
            b += 8;
        }
        Vector128<float> vb = Vector128.Create(beta);
        StoreRow(c, c00, c01, vb, beta);
        StoreRow(c + ldc, c10, c11, vb, beta);
        StoreRow(c + 2 * ldc, c20, c21, vb, beta);
        StoreRow(c + 3 * ldc, c30, c31, vb, beta);
        StoreRow(c + 4 * ldc, c40, c41, vb, beta);
        StoreRow(c + 5 * ldc, c50, c51, vb, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> MulAdd(Vector128<float> x, Vector128<float> y, Vector128<float> addend) =>
        Fma.IsSupported || AdvSimd.IsSupported ? Vector128.FusedMultiplyAdd(x, y, addend) : x * y + addend;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector128<float> x0, Vector128<float> x1, Vector128<float> vb, float beta)
    {
        if (beta != 0)
        {
            x0 = MulAdd(vb, Vector128.Load(c), x0);
            x1 = MulAdd(vb, Vector128.Load(c + 4), x1);
        }
        x0.Store(c);
        x1.Store(c + 4);
    }
}
