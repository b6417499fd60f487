namespace TransferKit.Kernels.Gemm;

/// <summary>The left operand packed once for many products (<see cref="PackedLeftOperand"/>).</summary>
internal static unsafe partial class BlockedGemm<TKernel>
{
    /// <summary>Rows of A each packing task takes on, at least: enough to be worth a thread.</summary>
    private const int MinPackRowsPerTask = 64;

    /// <summary>
    /// Packs all of op(A) (m x k, alpha 1) into this kernel's micro-panels, k block by k block, the blocks and row
    /// ranges spread over the threads.
    /// </summary>
    public static PackedLeftOperand PackLeft(bool transposeA, int m, int k, float* a, int lda)
    {
        int mr = TKernel.Mr;
        bool pairs = TKernel.PacksBFloat16Pairs;
        int paddedRows = RoundUp(m, mr), blocks = (k + Kc - 1) / Kc;
        var packed = new PackedLeftOperand(typeof(TKernel), a, transposeA, m, k, paddedRows, checked(blocks * paddedRows * DepthOf(Math.Min(Kc, k))));
        float* data = packed.Data;
        // Whole micro-panels per task, so that every task starts a panel.
        int rowsPerTask = RoundUp(MinPackRowsPerTask, mr), chunks = (m + rowsPerTask - 1) / rowsPerTask;
        Parallelism.For(0, blocks * chunks, task =>
        {
            int pc = task / chunks * Kc, kc = Math.Min(Kc, k - pc);
            int row0 = task % chunks * rowsPerTask, rows = Math.Min(rowsPerTask, m - row0);
            float* destination = PackedRows(data, paddedRows, row0, pc, kc);
            if (!pairs)
            {
                PackA(transposeA, a, lda, 1f, row0, rows, pc, kc, destination);
                return;
            }
            using var wide = new ScratchBuffer(RoundUp(rows, mr) * kc);
            PackA(transposeA, a, lda, 1f, row0, rows, pc, kc, wide.Pointer);
            BFloat16Pairs.Narrow(wide.Pointer, kc, mr, RoundUp(rows, mr) / mr, (uint*)destination);
        });
        return packed;
    }

    /// <summary>The packed rows from <paramref name="row"/> (a multiple of Mr) of the k block at <paramref name="pc"/>.</summary>
    private static float* PackedRows(float* packedA, int paddedRows, int row, int pc, int kc) =>
        packedA + (long)(pc / Kc) * paddedRows * DepthOf(Kc) + (long)row * DepthOf(kc);

    /// <summary>What the kernel reads per row of a panel for a block of depth <paramref name="kc"/>: k values, or slots of pairs.</summary>
    private static int DepthOf(int kc) => TKernel.PacksBFloat16Pairs ? BFloat16Pairs.Slots(kc) : kc;

    /// <summary>Packed panels a product reads, from row <see cref="Row0"/> of op(A) on (null <see cref="Data"/>: pack A).</summary>
    private readonly struct PackedPanels(float* data, int paddedRows, int row0 = 0)
    {
        public float* Data { get; } = data;

        public int PaddedRows { get; } = paddedRows;

        public int Row0 { get; } = row0;

        /// <summary>The same panels for the sub-product whose rows start <paramref name="row"/> (a multiple of Mr) further down.</summary>
        public PackedPanels FromRow(int row) => new(Data, PaddedRows, Row0 + row);
    }
}
