namespace TransferKit.Tests.Kernels.Gemm;

/// <summary>
/// The GEMM test grid: sizes around the micro-tile edges (1, 7, 16/17, 31/33, 64/65) crossed sparsely so that
/// every size meets every transpose combination, alpha/beta variant and padding, plus a few larger shapes that
/// cross the k blocking (more than 512) and the thread split.
/// </summary>
internal static class GemmCases
{
    private static readonly int[] s_sizes = [0, 1, 2, 3, 7, 16, 17, 31, 33, 64, 65, 100];

    /// <summary>(alpha, beta, nanInC): beta = 0 runs with C full of NaN, which must not leak into the result.</summary>
    private static readonly (float Alpha, float Beta, bool NanC)[] s_scales =
        [(1f, 0f, true), (1f, 1f, false), (0.5f, -2f, false), (-1.5f, 0f, true), (2f, 0.25f, false), (0f, 0.5f, false)];

    private static readonly int[] s_pads = [0, 3, 17];

    /// <summary>Columns: m, n, k, transposeA, transposeB, alpha, beta, nanInC, padding of each leading dimension.</summary>
    public static IEnumerable<object[]> Small()
    {
        int count = s_sizes.Length;
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < count; j++)
            {
                int k = s_sizes[(i * 7 + j * 3 + 1) % count];
                int trans = (i + j) % 4;
                var (alpha, beta, nan) = s_scales[(i * 5 + j) % s_scales.Length];
                int pad = s_pads[(i + 2 * j) % s_pads.Length];
                yield return [s_sizes[i], s_sizes[j], k, (trans & 1) != 0, (trans & 2) != 0, alpha, beta, nan, pad];
            }
        }
    }

    /// <summary>Shapes past the blocking parameters, in all four transpose combinations.</summary>
    public static IEnumerable<object[]> Large()
    {
        (int M, int N, int K, float Alpha, float Beta, bool Nan, int Pad)[] shapes =
        [
            (200, 300, 250, 1f, 0f, true, 0),
            (257, 129, 300, 0.75f, 1f, false, 5),
            (300, 213, 1100, 1f, -0.5f, false, 0),  // three k blocks: beta applies once
            (9, 300, 520, 1f, 0f, true, 1),         // few row panels: the thread split goes by columns
            (3, 4200, 5, -1f, 2f, false, 0),        // more than two column blocks of 2048
        ];
        foreach (var s in shapes)
        {
            for (int trans = 0; trans < 4; trans++)
                yield return [s.M, s.N, s.K, (trans & 1) != 0, (trans & 2) != 0, s.Alpha, s.Beta, s.Nan, s.Pad];
        }
    }

    /// <summary>
    /// Shapes with at most four rows or columns of C (the skinny path: a classifier head's forward and backward products),
    /// wide enough to cross its column blocks and its thread split, in all four transpose combinations.
    /// </summary>
    public static IEnumerable<object[]> Skinny()
    {
        (int M, int N, int K, float Alpha, float Beta, bool Nan, int Pad)[] shapes =
        [
            (64, 2, 2048, 1f, 0f, true, 0),       // Linear(2048, 2) forward
            (2, 2048, 64, 1f, 1f, false, 0),      // its weight gradient, accumulated
            (64, 2048, 2, 1f, 0f, true, 3),       // its input gradient (blocked: k is the narrow side)
            (3, 9000, 70, -0.5f, 2f, false, 1),   // three column blocks of 4096, split over threads
            (4000, 4, 300, 0.75f, 0f, true, 2),
            (1, 1, 5000, 1f, -1f, false, 0),
            (1, 700, 1, 2f, 0f, true, 5),
        ];
        foreach (var s in shapes)
        {
            for (int trans = 0; trans < 4; trans++)
                yield return [s.M, s.N, s.K, (trans & 1) != 0, (trans & 2) != 0, s.Alpha, s.Beta, s.Nan, s.Pad];
        }
    }
}
