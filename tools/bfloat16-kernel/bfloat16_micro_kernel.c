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
 *
 * The epilogue of a convolution is applied to the accumulators before the one store, so that C is never read back:
 *   C[i, j] = act((A * B + beta * C)[i, j] + bias[i] + residual[i * ldr + j])
 * with bias and residual optional (NULL) and act 0 = identity, 1 = ReLU, 2 = ReLU6, 3 = SiLU. ReLU is max(0, x) + 0,
 * which keeps a NaN and turns -0 into +0, as .NET's Vector512.Max(x, 0) does. SiLU is x / (1 + exp(-x)) with the
 * exp of src/TransferKit/Kernels/Activations/FastExp.cs, operation for operation (generate.sh compiles without
 * contracting multiplies and adds), so that it gives the managed epilogue's bits.
 * Calling convention: System V x86-64 (Linux).
 */
#include <immintrin.h>
#include <stdint.h>

// A float constant from a register: a folded constant would go to .rodata, which the mapped code does not have.
#define FLOAT_BITS(bits) __extension__({ int v_ = (int)(bits); __asm__("" : "+r"(v_)); _mm512_castsi512_ps(_mm512_set1_epi32(v_)); })

// FastExp.Exp: x clamped to [-87.34, 88], n = floor(x log2 e + 1/2), r = x - n ln 2 in two parts, Cephes' polynomial, times 2^n.
static inline __attribute__((always_inline)) __m512 fast_exp(__m512 x)
{
    x = _mm512_min_ps(FLOAT_BITS(0x42b00000), _mm512_max_ps(FLOAT_BITS(0xc2aeac50), x));
    __m512 n = _mm512_roundscale_ps(_mm512_fmadd_ps(x, FLOAT_BITS(0x3fb8aa3b), FLOAT_BITS(0x3f000000)), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fmadd_ps(n, FLOAT_BITS(0xbf318000), x);
    r = _mm512_fmadd_ps(n, FLOAT_BITS(0x395e8083), r);
    __m512 p = _mm512_fmadd_ps(FLOAT_BITS(0x39506967), r, FLOAT_BITS(0x3ab743ce));
    p = _mm512_fmadd_ps(p, r, FLOAT_BITS(0x3c088908));
    p = _mm512_fmadd_ps(p, r, FLOAT_BITS(0x3d2aa9c1));
    p = _mm512_fmadd_ps(p, r, FLOAT_BITS(0x3e2aaaaa));
    p = _mm512_fmadd_ps(p, r, FLOAT_BITS(0x3f000000));
    p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, FLOAT_BITS(0x3f800000)));
    __m512i exponent = _mm512_slli_epi32(_mm512_add_epi32(_mm512_cvttps_epi32(n), _mm512_castps_si512(FLOAT_BITS(127))), 23);
    return _mm512_mul_ps(p, _mm512_castsi512_ps(exponent));
}

// SiluOperator: x / (1 + exp(-x)), -x by flipping the sign bit.
static inline __attribute__((always_inline)) __m512 silu(__m512 x)
{
    __m512 negated = _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(x), _mm512_castps_si512(FLOAT_BITS(0x80000000u))));
    return _mm512_div_ps(x, _mm512_add_ps(FLOAT_BITS(0x3f800000), fast_exp(negated)));
}

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
        if (bias) {                                                                   \
            __m512 vbias = _mm512_set1_ps(bias[i]);                                   \
            c##i##0 = _mm512_add_ps(c##i##0, vbias);                                  \
            c##i##1 = _mm512_add_ps(c##i##1, vbias);                                  \
        }                                                                             \
        if (residual) {                                                               \
            const float* r = residual + (i) * ldr;                                    \
            c##i##0 = _mm512_add_ps(c##i##0, _mm512_loadu_ps(r));                     \
            c##i##1 = _mm512_add_ps(c##i##1, _mm512_loadu_ps(r + 16));                \
        }                                                                             \
        if (activation == 3) {                                                        \
            c##i##0 = silu(c##i##0);                                                  \
            c##i##1 = silu(c##i##1);                                                  \
        } else if (activation != 0) {                                                 \
            c##i##0 = _mm512_add_ps(_mm512_max_ps(zero, c##i##0), zero);              \
            c##i##1 = _mm512_add_ps(_mm512_max_ps(zero, c##i##1), zero);              \
            if (activation == 2) {                                                    \
                c##i##0 = _mm512_min_ps(six, c##i##0);                                \
                c##i##1 = _mm512_min_ps(six, c##i##1);                                \
            }                                                                         \
        }                                                                             \
        _mm512_storeu_ps(row, c##i##0);                                               \
        _mm512_storeu_ps(row + 16, c##i##1);                                          \
    }

void transferkit_bf16_8x32(long slots, const uint32_t* a, const uint32_t* b, float* c, long ldc, float beta,
                           const float* bias, const float* residual, long ldr, long activation)
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
    __m512 vbeta = _mm512_set1_ps(beta), zero = _mm512_setzero_ps(), six = FLOAT_BITS(0x40c00000);
    STORE_ROW(0) STORE_ROW(1) STORE_ROW(2) STORE_ROW(3) STORE_ROW(4) STORE_ROW(5) STORE_ROW(6) STORE_ROW(7)
}
