using TransferKit.Kernels;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Tests.Kernels.Gemm;

/// <summary>
/// The bfloat16 GEMM against its oracle: the same product in double over operands rounded to bfloat16 the way packing
/// rounds them (alpha folded into A first). Products of two bfloat16 values are exact in fp32, so the only difference
/// left is the order of the fp32 sums. Shapes cross the tile edges (8 x 32), odd depths (a half-empty last pair), the k
/// blocking, the thread split and every transpose. On a machine without AVX512-BF16 the tests check the fallback.
/// </summary>
public unsafe class BFloat16GemmTests
{
    public static IEnumerable<object[]> Shapes()
    {
        (int M, int N, int K, float Alpha, float Beta)[] shapes =
        [
            (8, 32, 2, 1f, 0f), (8, 32, 1, 1f, 0f), (9, 33, 7, 1f, 0f), (17, 5, 3, -1.5f, 0.5f),
            (64, 100, 64, 1f, 1f), (100, 300, 513, 0.75f, 0f), (257, 129, 301, 1f, -0.5f),
            (300, 213, 1100, 1f, 0f), (40, 2100, 27, 2f, 0.25f),
        ];
        foreach (var s in shapes)
        {
            for (int trans = 0; trans < 4; trans++)
                yield return [s.M, s.N, s.K, (trans & 1) != 0, (trans & 2) != 0, s.Alpha, s.Beta];
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesTheProductOfRoundedOperands(int m, int n, int k, bool transposeA, bool transposeB, float alpha, float beta)
    {
        if (!BFloat16Gemm.IsAvailable)
        {
            Assert.NotNull(BFloat16Gemm.UnavailableReason);
            return;
        }
        foreach (int threads in new[] { 1, 2 })
            Check(m, n, k, transposeA, transposeB, alpha, beta, default, threads, null);
    }

    [Theory]
    [InlineData(13, 45, 600, ActivationKind.ReLU, true)]
    [InlineData(64, 256, 65, ActivationKind.SiLU, false)]
    [InlineData(40, 1100, 1030, ActivationKind.Identity, true)]
    [InlineData(24, 70, 300, ActivationKind.ReLU6, true)]
    [InlineData(16, 64, 96, ActivationKind.ReLU, false)]
    public void AppliesTheEpilogueOnceAfterTheLastBlock(int m, int n, int k, ActivationKind kind, bool withResidual)
    {
        if (!BFloat16Gemm.IsAvailable) return;
        var rng = new Random(m * 7 + n);
        float[] bias = Filled(rng, m), residual = Filled(rng, m * n);
        fixed (float* pBias = bias, pResidual = residual)
        {
            var epilogue = new GemmEpilogue(pBias, withResidual ? pResidual : null, n, kind);
            Check(m, n, k, false, false, 1f, 0f, epilogue, 2, (row, col, x) =>
                (float)NaiveActivation.Value(kind, x + bias[row] + (withResidual ? residual[row * n + col] : 0)));
        }
    }

    [Theory]
    [InlineData(ActivationKind.ReLU)]
    [InlineData(ActivationKind.ReLU6)]
    [InlineData(ActivationKind.Identity)]
    [InlineData(ActivationKind.SiLU)]
    public void TheEpilogueInsideTheKernelMatchesTheEpilogueAfterIt(ActivationKind kind)
    {
        if (!BFloat16Gemm.IsAvailable) return;
        const int m = 24, n = 100, k = 130;
        var rng = new Random(17);
        float[] a = Filled(rng, m * k), b = Filled(rng, k * n), bias = Filled(rng, m), residual = Filled(rng, m * n);
        residual[5] = float.NaN;
        residual[n + 3] = float.PositiveInfinity;
        residual[2 * n + 7] = float.NegativeInfinity;
        residual[3 * n + 1] = 200f;     // SiLU's exp clamped at both ends
        residual[3 * n + 2] = -200f;
        float[] Run(bool fused)
        {
            float[] c = new float[m * n];
            BFloat16MicroKernel.FusesEpilogue = fused;
            try
            {
                fixed (float* pa = a, pb = b, pc = c, pBias = bias, pResidual = residual)
                    Assert.True(BFloat16Gemm.TryRun(false, false, m, n, k, 1f, pa, k, pb, n, 0f, pc, n, new GemmEpilogue(pBias, pResidual, n, kind)));
            }
            finally
            {
                BFloat16MicroKernel.FusesEpilogue = true;
            }
            return c;
        }
        float[] inside = Run(true), after = Run(false);
        for (int i = 0; i < inside.Length; i++)
            Assert.True(inside[i] == after[i] || (float.IsNaN(inside[i]) && float.IsNaN(after[i])), $"{kind} at {i}: {inside[i]} inside, {after[i]} after");
        Assert.True(float.IsNaN(inside[5]));
        Assert.Equal(kind == ActivationKind.ReLU6 ? 6f : float.PositiveInfinity, inside[n + 3]);
        if (kind == ActivationKind.ReLU6) Assert.Contains(6f, inside);
    }

    [Fact]
    public void IsAvailableWhereLinuxReportsTheInstructions()
    {
        bool reported = OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo")
            && File.ReadAllText("/proc/cpuinfo").Contains(" avx512_bf16", StringComparison.Ordinal);
        Assert.True(reported == BFloat16Gemm.IsAvailable, $"/proc/cpuinfo lists avx512_bf16: {reported}; available: {BFloat16Gemm.IsAvailable} ({BFloat16Gemm.UnavailableReason})");
    }

    /// <summary>The embedded machine code was generated from the C source as it is now (else run tools/bfloat16-kernel/generate.sh).</summary>
    [Fact]
    public void TheEmbeddedKernelIsTheCurrentSourceCompiled() =>
        BFloat16Assert.EmbeddedCodeIsTheSourceCompiled("bfloat16_micro_kernel.c", Path.Combine("Kernels", "Gemm", "BFloat16MicroKernelCode.g.cs"),
            BFloat16MicroKernelCode.X64SystemV, BFloat16MicroKernelCode.Sha256);

    [Fact]
    public void DiffersFromFloat32OnlyByTheRoundingOfItsInputs()
    {
        if (!BFloat16Gemm.IsAvailable) return;
        const int m = 64, n = 96, k = 300;
        var rng = new Random(5);
        float[] a = Filled(rng, m * k), b = Filled(rng, k * n), fp32 = new float[m * n], bf16 = new float[m * n];
        fixed (float* pa = a, pb = b, p32 = fp32, p16 = bf16)
        {
            new NaiveGemm().Sgemm(false, false, m, n, k, 1f, pa, k, pb, n, 0f, p32, n);
            Assert.True(BFloat16Gemm.TryRun(false, false, m, n, k, 1f, pa, k, pb, n, 0f, p16, n, default));
        }
        BFloat16Assert.DiffersOnlyByRounding(fp32, bf16);
    }

    [Fact]
    public void TheScopeRoutesGemmEngineProductsAndFallsBackWhenUnavailable()
    {
        const int m = 32, n = 64, k = 48;
        var rng = new Random(9);
        float[] a = Filled(rng, m * k), b = Filled(rng, k * n);
        float[] plain = Run(a, b, m, n, k, scoped: false);
        float[] scoped = Run(a, b, m, n, k, scoped: true);
        float[] rounded = new float[m * n];
        fixed (float* pa = a, pb = b, pr = rounded)
        {
            if (BFloat16Gemm.IsAvailable) Assert.True(BFloat16Gemm.TryRun(false, false, m, n, k, 1f, pa, k, pb, n, 0f, pr, n, default));
        }
        if (BFloat16Gemm.IsAvailable)
        {
            Assert.Equal(rounded, scoped);
            Assert.NotEqual(plain, scoped);
        }
        else
        {
            Assert.Equal(plain, scoped);
        }

        BFloat16Gemm.SimulateUnavailable = true;
        try
        {
            Assert.False(BFloat16Gemm.IsAvailable);
            Assert.Contains("switched off", BFloat16Gemm.UnavailableReason);
            Assert.Equal(plain, Run(a, b, m, n, k, scoped: true));
        }
        finally
        {
            BFloat16Gemm.SimulateUnavailable = false;
        }
    }

    [Fact]
    public void NarrowingRoundsToNearestEvenAndPairsConsecutiveRows()
    {
        // Two rows of 8: the slot holds row 0 in its low half and row 1 in its high half; a third (odd) row pairs with zero.
        float[] panel = new float[3 * 8];
        for (int j = 0; j < 8; j++)
        {
            panel[j] = 1f + j;
            panel[8 + j] = -(j + 0.5f);
            panel[16 + j] = float.NaN;
        }
        panel[0] = BitConverter.UInt32BitsToSingle(0x3F808000u); // exactly halfway, even below: rounds down
        panel[1] = BitConverter.UInt32BitsToSingle(0x3F818000u); // exactly halfway, odd below: rounds up
        uint[] slots = new uint[2 * 8];
        fixed (float* src = panel)
        fixed (uint* dst = slots)
        {
            BFloat16Pairs.Narrow(src, 3, 8, 1, dst);
        }
        Assert.Equal(0x3F80u, slots[0] & 0xFFFF);
        Assert.Equal(0x3F82u, slots[1] & 0xFFFF);
        for (int j = 0; j < 8; j++)
        {
            Assert.Equal(BFloat16Conversion.Round(BitConverter.SingleToUInt32Bits(panel[8 + j])), (ushort)(slots[j] >> 16));
            Assert.True(float.IsNaN(BitConverter.UInt32BitsToSingle((slots[8 + j] & 0xFFFF) << 16)));
            Assert.Equal(0u, slots[8 + j] >> 16);
        }
    }

    private static float[] Run(float[] a, float[] b, int m, int n, int k, bool scoped)
    {
        float[] c = new float[m * n];
        using var scope = BFloat16Scope.Enter(scoped);
        fixed (float* pa = a, pb = b, pc = c)
        {
            GemmEngine.SgemmWithEpilogue(false, false, m, n, k, pa, k, pb, n, pc, n, default);
        }
        return c;
    }

    private static void Check(int m, int n, int k, bool transposeA, bool transposeB, float alpha, float beta, GemmEpilogue epilogue,
        int threads, Func<int, int, double, float>? finish)
    {
        int lda = transposeA ? m + 3 : k + 3, ldb = transposeB ? k + 5 : n + 5, ldc = n + 2;
        var rng = new Random(m * 131 + n * 17 + k);
        float[] a = Filled(rng, (transposeA ? k : m) * lda), b = Filled(rng, (transposeB ? n : k) * ldb);
        float[] c = new float[m * ldc];
        for (int i = 0; i < c.Length; i++) c[i] = i % ldc < n ? (beta == 0 ? float.NaN : rng.NextSingle()) : -7f;
        float[] before = (float[])c.Clone();
        int saved = Parallelism.DegreeOfParallelism;
        try
        {
            Parallelism.DegreeOfParallelism = threads;
            fixed (float* pa = a, pb = b, pc = c)
            {
                Assert.True(BFloat16Gemm.TryRun(transposeA, transposeB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, epilogue));
            }
        }
        finally
        {
            Parallelism.DegreeOfParallelism = saved;
        }
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < ldc; j++)
            {
                if (j >= n)
                {
                    Assert.Equal(-7f, c[i * ldc + j]);
                    continue;
                }
                double sum = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double term = Rounded(alpha * (transposeA ? a[p * lda + i] : a[i * lda + p])) * Rounded(transposeB ? b[j * ldb + p] : b[p * ldb + j]);
                    sum += term;
                    magnitude += Math.Abs(term);
                }
                if (beta != 0)
                {
                    sum += beta * before[i * ldc + j];
                    magnitude += Math.Abs(beta * before[i * ldc + j]);
                }
                double expected = finish is null ? sum : finish(i, j, sum);
                double tolerance = 2e-6 * magnitude + 1e-5 * Math.Abs(expected) + 1e-6;
                Assert.True(Math.Abs(c[i * ldc + j] - expected) <= tolerance,
                    $"m={m} n={n} k={k} tA={transposeA} tB={transposeB} threads={threads}: C[{i},{j}] = {c[i * ldc + j]}, expected {expected}");
            }
        }
    }

    private static double Rounded(float x) => BitConverter.UInt32BitsToSingle((uint)BFloat16Conversion.Round(BitConverter.SingleToUInt32Bits(x)) << 16);

    private static float[] Filled(Random rng, int length)
    {
        var data = new float[length];
        for (int i = 0; i < length; i++) data[i] = rng.NextSingle() * 2 - 1;
        return data;
    }
}
