using System.Numerics.Tensors;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Kernels.Convolution;

/// <summary>The general path: im2col plus GEMM, per group, over blocks of images.</summary>
public static unsafe partial class Conv2dKernel
{
    // Per block of `count` images and per group, with K = Cin/G * KH * KW and P = OH * OW:
    //   col[K, count*P] = im2col(input block, group channels)
    //   forward:  Y[Cout/G, count*P]  = W_g[Cout/G, K] x col
    //   weight:   dW_g[Cout/G, K]    += dY[Cout/G, count*P] x col^T
    //   data:     col                 = W_g^T x dY, then col2im adds col into dX
    // With one image per block Y and dY are the NCHW tensors themselves (row stride P); with several the images'
    // planes are not adjacent per channel, so Y and dY go through a staging matrix.

    /// <summary>Whether <see cref="GivesWholeImagesToThreads"/> may hold at all; benchmarks turn it off to compare.</summary>
    internal static bool WholeImagesPerThread { get; set; } = true;

    /// <summary>
    /// Whether convolutions run image by image pack their weights once for all the images (<see cref="PackWeightsOnce"/>)
    /// rather than once per image; benchmarks turn it off to compare.
    /// </summary>
    internal static bool PacksWeightsOnce { get; set; } = true;

    /// <summary>
    /// The weights as op(A) of the per-image products, packed once (null: each product packs its own): the panels kept
    /// from earlier calls where the weights have <see cref="PreparedConvWeights"/>, otherwise packed for this call.
    /// </summary>
    private static PackedLeftOperand? PackWeightsOnce(bool transposeA, int m, int n, int k, float* weight, int lda) =>
        KeptWeightPanels(transposeA, m, n, k, weight, lda) ?? (PacksWeightsOnce ? GemmEngine.TryPackLeft(transposeA, m, n, k, weight, lda) : null);

    /// <summary>The panels of the weights kept across calls by their <see cref="PreparedConvWeights"/>, or null where they have none.</summary>
    private static PackedLeftOperand? KeptWeightPanels(bool transposeA, int m, int n, int k, float* weight, int lda) =>
        PreparedConvWeights.For(weight)?.PackedLeft(transposeA, m, n, k, weight, lda);

    /// <summary>
    /// Whether the one-image-per-GEMM path hands whole images to the threads (<see cref="Parallelism.ForWhole"/>: each
    /// packs and multiplies its own images, one fork and join per call) instead of splitting each image's packing and
    /// product across them (two per image): ungrouped, with the managed GEMM, and a batch that the threads share evenly
    /// enough.
    /// </summary>
    private static bool GivesWholeImagesToThreads(in Conv2dGeometry g, int perGemm) =>
        WholeImagesPerThread && perGemm == 1 && g.Groups == 1 && GemmEngine.Provider is ManagedGemm && Parallelism.SharesOutWhole(g.Batch);

    /// <summary>Whether <see cref="Im2ColBandRows"/> may cut planes into bands; benchmarks and tests turn it off to compare.</summary>
    internal static bool BandsLargeIm2Col { get; set; } = true;

    /// <summary>Floats of one image's im2col matrix above which it is built and multiplied in bands of output rows (4 MiB).</summary>
    internal static long Im2ColBandMinFloats { get; set; } = 1L << 20;

    /// <summary>Floats a band's matrix aims at (1 MiB: about an L2); tests set less.</summary>
    internal static int Im2ColBandFloats { get; set; } = 1 << 18;

    /// <summary>
    /// Output rows per band of an image whose im2col matrix of <paramref name="k"/> rows exceeds
    /// <see cref="Im2ColBandMinFloats"/>, else the whole height. Such a matrix (Inception-v3's 3x3 layers on 147x147, 25 MB per
    /// image) was written to memory and read back by the product's packing; a band of rows is read back from cache. Each
    /// output is the same product over the same k, so the values do not change (with SiLU and the other smooth activations
    /// an output that moves between a vector lane and a tile's scalar tail may change in the last place). Measured on Zen 3 with AVX2
    /// (2026-12-07, <c>im2col-bands</c>, batch 16, 2 threads): Inception-v3's 32-&gt;32 and 32-&gt;64 on 147x147 1.19x and
    /// 1.33x, its 80-&gt;192 on 71x71 1.05x, ResNet's 7x7 stem 1.03x; matrices under 4 MiB (ResNet's 128-channel stride-2
    /// 3x3, MobileNet's stem) stay whole.
    /// </summary>
    internal static int Im2ColBandRows(in Conv2dGeometry g, int k)
    {
        long rowFloats = (long)k * g.OutWidth;
        if (!BandsLargeIm2Col || rowFloats * g.OutHeight <= Im2ColBandMinFloats) return g.OutHeight;
        return (int)Math.Clamp(Im2ColBandFloats / rowFloats, 1, g.OutHeight);
    }

    private static void ForwardIm2Col(in Conv2dGeometry g, int perGemm, float* input, float* weight, float* bias, float* output,
        ActivationKind activation, float* residual)
    {
        int cinG = g.InChannelsPerGroup, coutG = g.OutChannelsPerGroup, plane = g.OutHeight * g.OutWidth;
        int k = cinG * g.KernelHeight * g.KernelWidth;
        if (GivesWholeImagesToThreads(g, perGemm))
        {
            var geometry = g;
            long imageOut = (long)g.OutChannels * plane;
            // The weights are packed once for all the images, not once per image.
            using var packedWeight = PackWeightsOnce(false, coutG, plane, k, weight, k);
            int bandRows = Im2ColBandRows(g, k);
            Parallelism.ForWhole(0, g.Batch, n =>
            {
                if (bandRows < geometry.OutHeight)
                {
                    // Band by band, each band's matrix still in cache when the product packs it.
                    int width = geometry.OutWidth;
                    using var band = new ScratchBuffer(checked(k * bandRows * width));
                    for (int row = 0; row < geometry.OutHeight; row += bandRows)
                    {
                        int rowEnd = Math.Min(geometry.OutHeight, row + bandRows), columns = (rowEnd - row) * width;
                        long at = n * imageOut + (long)row * width;
                        Im2Col.PackBand(geometry, input, n, 0, cinG, row, rowEnd, band.Pointer);
                        GemmEngine.SgemmWithEpilogue(false, false, coutG, columns, k, weight, k, band.Pointer, columns, output + at, plane,
                            new GemmEpilogue(bias, residual == null ? null : residual + at, plane, activation), packedWeight);
                    }
                    return;
                }
                using var column = new ScratchBuffer(checked(k * plane));
                Im2Col.Pack(geometry, input, n, 1, 0, cinG, column.Pointer);
                GemmEngine.SgemmWithEpilogue(false, false, coutG, plane, k, weight, k, column.Pointer, plane, output + n * imageOut, plane,
                    new GemmEpilogue(bias, residual == null ? null : residual + n * imageOut, plane, activation), packedWeight);
            }, BFloat16Scope.IsActive);
            return;
        }
        using var col = new ScratchBuffer(checked(k * perGemm * plane));
        bool inPlace = StoresStackedImagesInPlace(g);
        using var staging = new ScratchBuffer(perGemm > 1 && !inPlace ? coutG * perGemm * plane : 0);
        // Kept panels serve the ungrouped products; the last, narrower block finds them too, or packs its own.
        var keptWeight = g.Groups == 1 ? KeptWeightPanels(false, coutG, Math.Min(perGemm, g.Batch) * plane, k, weight, k) : null;
        for (int n0 = 0; n0 < g.Batch; n0 += perGemm)
        {
            int count = Math.Min(perGemm, g.Batch - n0), columns = count * plane;
            for (int grp = 0; grp < g.Groups; grp++)
            {
                Im2Col.Pack(g, input, n0, count, grp * cinG, cinG, col.Pointer);
                float* w = weight + (long)grp * coutG * k;
                float* groupBias = bias == null ? null : bias + grp * coutG;
                long offset = ((long)n0 * g.OutChannels + grp * coutG) * plane;
                float* y = output + offset;
                float* r = residual == null ? null : residual + offset;
                if (count == 1)
                {
                    GemmEngine.SgemmWithEpilogue(false, false, coutG, columns, k, w, k, col.Pointer, columns, y, plane,
                        new GemmEpilogue(groupBias, r, plane, activation), keptWeight);
                }
                else if (inPlace)
                {
                    // The stacked columns are the images side by side: each tile stores straight into its image.
                    ((ManagedGemm)GemmEngine.Provider).SgemmImages(coutG, columns, k, w, k, col.Pointer, columns, y, plane,
                        new ImageColumns(plane, plane, (long)g.OutChannels * plane), new GemmEpilogue(groupBias, r, plane, activation), keptWeight);
                }
                else
                {
                    GemmEngine.Sgemm(false, false, coutG, columns, k, 1f, w, k, col.Pointer, columns, 0f, staging.Pointer, columns, keptWeight);
                    ScatterToImages(staging.Pointer, coutG, count, plane, groupBias, y, (long)g.OutChannels * plane, activation, r);
                }
            }
        }
    }

    /// <summary>
    /// Whether stacked im2col products (<see cref="ImagesPerGemm"/> above 1) store each image's part of C in place
    /// (<see cref="ImageColumns"/>, float32 on the AVX-512 or AVX2 GEMM, ungrouped, planes of a sliver and more) instead of into a
    /// staging matrix that a second pass scatters to the images with the epilogue; <see cref="SideBySideImages"/> switches
    /// it with the 1x1 path.
    /// </summary>
    internal static bool StoresStackedImagesInPlace(in Conv2dGeometry g) =>
        SideBySideImages && g.Groups == 1 && !BFloat16Scope.IsActive
        && GemmEngine.Provider is ManagedGemm { RunsImages: true } managed && g.OutHeight * g.OutWidth >= managed.TileColumns;

    private static void BackwardWeightIm2Col(in Conv2dGeometry g, int perGemm, float* input, float* gradOutput, float* gradWeight)
    {
        int cinG = g.InChannelsPerGroup, coutG = g.OutChannelsPerGroup, plane = g.OutHeight * g.OutWidth;
        int k = cinG * g.KernelHeight * g.KernelWidth;
        using var col = new ScratchBuffer(checked(k * perGemm * plane));
        using var staging = new ScratchBuffer(perGemm > 1 ? coutG * perGemm * plane : 0);
        for (int n0 = 0; n0 < g.Batch; n0 += perGemm)
        {
            int count = Math.Min(perGemm, g.Batch - n0), columns = count * plane;
            for (int grp = 0; grp < g.Groups; grp++)
            {
                Im2Col.Pack(g, input, n0, count, grp * cinG, cinG, col.Pointer);
                float* dy = gradOutput + ((long)n0 * g.OutChannels + grp * coutG) * plane;
                int ldy = plane;
                if (count > 1)
                {
                    GatherFromImages(dy, (long)g.OutChannels * plane, coutG, count, plane, staging.Pointer);
                    dy = staging.Pointer;
                    ldy = columns;
                }
                GemmEngine.Sgemm(false, true, coutG, k, columns, 1f, dy, ldy, col.Pointer, columns,
                    1f, gradWeight + (long)grp * coutG * k, k);
            }
        }
    }

    private static void BackwardDataIm2Col(in Conv2dGeometry g, int perGemm, float* gradOutput, float* weight, float* gradInput)
    {
        int cinG = g.InChannelsPerGroup, coutG = g.OutChannelsPerGroup, plane = g.OutHeight * g.OutWidth;
        int k = cinG * g.KernelHeight * g.KernelWidth;
        if (GivesWholeImagesToThreads(g, perGemm))
        {
            var geometry = g;
            long imageOut = (long)g.OutChannels * plane;
            using var packedWeight = PackWeightsOnce(true, k, plane, coutG, weight, k);
            Parallelism.ForWhole(0, g.Batch, n =>
            {
                using var column = new ScratchBuffer(checked(k * plane));
                GemmEngine.Sgemm(true, false, k, plane, coutG, 1f, weight, k, gradOutput + n * imageOut, plane, 0f, column.Pointer, plane, packedWeight);
                Im2Col.UnpackAdd(geometry, column.Pointer, n, 1, 0, cinG, gradInput);
            }, BFloat16Scope.IsActive);
            return;
        }
        using var col = new ScratchBuffer(checked(k * perGemm * plane));
        using var staging = new ScratchBuffer(perGemm > 1 ? coutG * perGemm * plane : 0);
        for (int n0 = 0; n0 < g.Batch; n0 += perGemm)
        {
            int count = Math.Min(perGemm, g.Batch - n0), columns = count * plane;
            for (int grp = 0; grp < g.Groups; grp++)
            {
                float* dy = gradOutput + ((long)n0 * g.OutChannels + grp * coutG) * plane;
                int ldy = plane;
                if (count > 1)
                {
                    GatherFromImages(dy, (long)g.OutChannels * plane, coutG, count, plane, staging.Pointer);
                    dy = staging.Pointer;
                    ldy = columns;
                }
                GemmEngine.Sgemm(true, false, k, columns, coutG, 1f, weight + (long)grp * coutG * k, k, dy, ldy,
                    0f, col.Pointer, columns);
                Im2Col.UnpackAdd(g, col.Pointer, n0, count, grp * cinG, cinG, gradInput);
            }
        }
    }

    /// <summary>
    /// Copies staging [rows, count*plane] to <paramref name="rows"/> channel planes of <paramref name="count"/> images
    /// (image stride <paramref name="imageStride"/>), adding each row's bias when there is one.
    /// </summary>
    private static void ScatterToImages(float* staging, int rows, int count, int plane, float* bias, float* images, long imageStride,
        ActivationKind activation, float* residualImages)
    {
        long columns = (long)count * plane;
        Parallelism.For(0, count * rows, item =>
        {
            int j = item / rows, r = item % rows;
            long offset = j * imageStride + (long)r * plane;
            float* dst = images + offset;
            new ReadOnlySpan<float>(staging + r * columns + (long)j * plane, plane).CopyTo(new Span<float>(dst, plane));
            FusedEpilogue.ApplyRow(activation, dst, plane, bias == null ? 0f : bias[r], residualImages == null ? null : residualImages + offset);
        }, Math.Max(1, 16384 / plane));
    }

    /// <summary>The inverse layout of <see cref="ScatterToImages"/>: channel planes of several images into one matrix.</summary>
    private static void GatherFromImages(float* images, long imageStride, int rows, int count, int plane, float* staging)
    {
        long columns = (long)count * plane;
        Parallelism.For(0, count * rows, item =>
        {
            int j = item / rows, r = item % rows;
            new ReadOnlySpan<float>(images + j * imageStride + (long)r * plane, plane)
                .CopyTo(new Span<float>(staging + r * columns + (long)j * plane, plane));
        }, Math.Max(1, 16384 / plane));
    }
}
