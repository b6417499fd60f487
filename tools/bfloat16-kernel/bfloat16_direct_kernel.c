/*
 * The bfloat16 direct-convolution micro-kernel of TransferKit's bfloat16 inference path (the twin of DirectConv2d's
 * float32 kernel; see src/TransferKit/Kernels/Convolution/DirectConv2d.cs for the layout).
 *
 * Compiled once by generate.sh, for the same reason and under the same rules as bfloat16_micro_kernel.c: no calls,
 * no data sections, no relocations.
 *
 * 64 grid positions by 5 output channels, summed over channel pairs and taps. The input is stored per pair of
 * channels: each 32-bit slot of a pair's planes holds the even channel's bfloat16 value in its low half and the odd
 * channel's in its high half, so one vdpbf16ps multiplies both channels of 16 positions by one output channel's two
 * weights.
 *   x:    pair 0's planes, offset to the first position; pair p's lie p * pair_length slots further.
 *   taps: tap t of grid position q lies at slot q + tap_offsets[t] of the pair's planes.
 *   w:    pairs x taps x 5 slots (w[(p * taps + t) * 5 + j] = output channel j's weights of channels 2p and 2p + 1).
 *   y:    5 rows of 64 floats, ldy floats apart; written, not accumulated.
 * Calling convention: System V x86-64 (Linux).
 */
#include <immintrin.h>
#include <stdint.h>

#define ZERO_CHANNEL(j) __m512 a##j##0 = _mm512_setzero_ps(), a##j##1 = _mm512_setzero_ps(), \
                               a##j##2 = _mm512_setzero_ps(), a##j##3 = _mm512_setzero_ps();
#define DOT_CHANNEL(j)                                                     \
    {                                                                      \
        __m512bh b = (__m512bh)_mm512_set1_epi32((int)w[j]);               \
        a##j##0 = _mm512_dpbf16_ps(a##j##0, v0, b);                        \
        a##j##1 = _mm512_dpbf16_ps(a##j##1, v1, b);                        \
        a##j##2 = _mm512_dpbf16_ps(a##j##2, v2, b);                        \
        a##j##3 = _mm512_dpbf16_ps(a##j##3, v3, b);                        \
    }
#define STORE_CHANNEL(j)                                                   \
    {                                                                      \
        float* row = y + (j) * ldy;                                        \
        _mm512_storeu_ps(row, a##j##0);                                    \
        _mm512_storeu_ps(row + 16, a##j##1);                               \
        _mm512_storeu_ps(row + 32, a##j##2);                               \
        _mm512_storeu_ps(row + 48, a##j##3);                               \
    }

void transferkit_bf16_direct_64x5(const uint32_t* x, long pair_length, const int* tap_offsets, long taps, long pairs,
                                  const uint32_t* w, float* y, long ldy)
{
    ZERO_CHANNEL(0) ZERO_CHANNEL(1) ZERO_CHANNEL(2) ZERO_CHANNEL(3) ZERO_CHANNEL(4)
    for (long p = 0; p < pairs; p++)
    {
        const uint32_t* planes = x + p * pair_length;
        for (long t = 0; t < taps; t++)
        {
            const uint32_t* s = planes + tap_offsets[t];
            __m512bh v0 = (__m512bh)_mm512_loadu_si512(s);
            __m512bh v1 = (__m512bh)_mm512_loadu_si512(s + 16);
            __m512bh v2 = (__m512bh)_mm512_loadu_si512(s + 32);
            __m512bh v3 = (__m512bh)_mm512_loadu_si512(s + 48);
            DOT_CHANNEL(0) DOT_CHANNEL(1) DOT_CHANNEL(2) DOT_CHANNEL(3) DOT_CHANNEL(4)
            w += 5;
        }
    }
    STORE_CHANNEL(0) STORE_CHANNEL(1) STORE_CHANNEL(2) STORE_CHANNEL(3) STORE_CHANNEL(4)
}
