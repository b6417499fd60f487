/*
 * The bfloat16 GEMM micro-kernel of TransferKit's bfloat16 inference path.
 *
 * .NET 10 has no intrinsic for vdpbf16ps (AVX512-BF16) on CPUs without AVX10, which includes AMD Zen 4 and 5, so
 * this one function is compiled here once and its machine code is embedded in
 * src/TransferKit/Kernels/Gemm/BFloat16MicroKernelCode.g.cs by generate.sh. It must stay position-independent and
 * self-contained: no calls, no data sections, no relocations (generate.sh checks).
 *
 * C[0..8, 0..32] = A * B + beta * C, where the k dimension is stored in pairs: each 32-bit slot holds two
 * bfloat16 values, the even k in the low half and the odd k in the high half (what vdpbf16ps multiplies together).
 *   a: slots x 8 (a[q * 8 + i] = row i, k = 2q and 2q + 1)
 *   b: slots x 32 (b[q * 32 + j] = column j, k = 2q and 2q + 1)
 * Sixteen 512-bit accumulators in fp32; with beta == 0, C is only written.
 * Calling convention: System V x86-64 (Linux).
 */
#include <immintrin.h>
#include <stdint.h>

#define ZERO_ROW(i) __m512 c##i##0 = _mm512_setzero_ps(), c##i##1 = _mm512_setzero_ps();
#define DOT_ROW(i)                                                         \
    {                                                                      \
        __m512bh ai = (__m512bh)_mm512_set1_epi32((int)a[i]);              \
        c##i##0 = _mm512_dpbf16_ps(c##i##0, ai, b0);                       \
        c##i##1 = _mm512_dpbf16_ps(c##i##1, ai, b1);                       \
    }
#define STORE_ROW(i)                                                                  \
    {                                                                                 \
        float* row = c + (i) * ldc;                                                   \
        if (beta != 0.0f) {                                                           \
            c##i##0 = _mm512_fmadd_ps(vbeta, _mm512_loadu_ps(row), c##i##0);          \
            c##i##1 = _mm512_fmadd_ps(vbeta, _mm512_loadu_ps(row + 16), c##i##1);     \
        }                                                                             \
        _mm512_storeu_ps(row, c##i##0);                                               \
        _mm512_storeu_ps(row + 16, c##i##1);                                          \
    }

void transferkit_bf16_8x32(long slots, const uint32_t* a, const uint32_t* b, float* c, long ldc, float beta)
{
    ZERO_ROW(0) ZERO_ROW(1) ZERO_ROW(2) ZERO_ROW(3) ZERO_ROW(4) ZERO_ROW(5) ZERO_ROW(6) ZERO_ROW(7)
    for (long q = 0; q < slots; q++)
    {
        __m512bh b0 = (__m512bh)_mm512_loadu_si512(b);
        __m512bh b1 = (__m512bh)_mm512_loadu_si512(b + 16);
        DOT_ROW(0) DOT_ROW(1) DOT_ROW(2) DOT_ROW(3) DOT_ROW(4) DOT_ROW(5) DOT_ROW(6) DOT_ROW(7)
        a += 8;
        b += 32;
    }
    __m512 vbeta = _mm512_set1_ps(beta);
    STORE_ROW(0) STORE_ROW(1) STORE_ROW(2) STORE_ROW(3) STORE_ROW(4) STORE_ROW(5) STORE_ROW(6) STORE_ROW(7)
}
