using TransferKit.Kernels.Gemm;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// Forward 3x3, stride-1 convolution by Winograd's minimal filtering F(2x2, 3x3) as Lavin and Gray formulate it for
/// CNNs: each 2x2 block of output pixels needs 16 multiplications per (input, output) channel pair instead of 36. The
/// weights become 16 matrices U_k [OutChannels x InChannels]; 4x4 input tiles (stride 2, zero padding at the borders)
/// become 16 matrices V_k [InChannels x Tiles]; the 16 products M_k = U_k V_k go through GEMM; and each 4x4 product
/// tile becomes 2x2 output pixels plus bias. Tiles are processed in blocks of whole tile rows (across the images of the
/// batch), sized so that V and M stay within a few MiB of cache between the transforms and the GEMMs.
/// The result differs from direct convolution by float32 rounding only (the transforms add a few roundings per value).
/// GEMM is called from the calling thread; the transforms run in <see cref="Parallelism"/> loops.
/// <see cref="NaiveConv2d"/> is the reference twin.
/// </summary>
internal static unsafe partial class WinogradConv2d
{
    /// <summary>
    /// Floats of V and M together that one block of tiles aims at (8 MiB, a quarter of the L3 here). Measured at VGG-16
    /// and ResNet-50 shapes, batch 8, with the managed AVX-512 GEMM: 1 Mi floats lost up to 35% on 512-channel layers
    /// (too few tiles per GEMM), 4 Mi lost up to 20% on 64-channel ones.
    /// </summary>
    internal static int BlockFloats { get; set; } = 2 << 20;

    /// <summary>Fewest tiles per block, so that each of the 16 GEMMs stays wide enough to run at full speed (128 tiles measured up to 35% slower).</summary>
    internal static int MinBlockTiles { get; set; } = 256;

    /// <summary>
    /// Whether the 16 products of a block go to the threads whole, each product on one thread, instead of each product
    /// being split across the threads in turn: one fork and join per block instead of 16. Only where the GEMM is
    /// the managed one, whose thread count follows <see cref="Parallelism.ThreadsHere"/>.
    /// </summary>
    private static bool ProductsGoWhole => WholeProductsPerThread && GemmEngine.Provider is ManagedGemm && Parallelism.ThreadsHere > 1;

    /// <summary>Whether <see cref="ProductsGoWhole"/> may hold at all; benchmarks turn it off to compare.</summary>
    internal static bool WholeProductsPerThread { get; set; } = true;

    /// <summary>Whether the geometry is one this kernel computes: ungrouped, 3x3, stride 1, dilation 1, any padding.</summary>
    internal static bool Supports(in Conv2dGeometry g) =>
        g.Groups == 1 && g.KernelHeight == 3 && g.KernelWidth == 3 && g.StrideHeight == 1 && g.StrideWidth == 1
        && g.DilationHeight == 1 && g.DilationWidth == 1;

    /// <summary>Computes output = conv(input, weight) + bias, overwriting <paramref name="output"/>; see <see cref="Conv2dKernel.Forward"/>.</summary>
    /// <param name="g">The geometry; validated first, and it must satisfy <see cref="Supports"/>.</param>
    /// <param name="input">[Batch, InChannels, InHeight, InWidth].</param>
    /// <param name="weight">[OutChannels, InChannels, 3, 3].</param>
    /// <param name="bias">[OutChannels], or null for no bias.</param>
    /// <param name="output">[Batch, OutChannels, OutHeight, OutWidth]; prior contents are ignored.</param>
    /// <exception cref="ArgumentException">The geometry is invalid or not one this kernel computes.</exception>
    /// <exception cref="ArgumentNullException">A required pointer is null.</exception>
    public static void Forward(in Conv2dGeometry g, float* input, float* weight, float* bias, float* output)
    {
        g.Validate();
        if (!Supports(g))
            throw new ArgumentException($"Winograd F(2x2, 3x3) needs Groups 1, a 3x3 kernel, stride 1 and dilation 1; got {g}.", nameof(g));
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(output);

        int cin = g.InChannels, cout = g.OutChannels;
        int tilesX = (g.OutWidth + 1) / 2, tilesY = (g.OutHeight + 1) / 2, units = g.Batch * tilesY;
        int perBlock = UnitsPerBlock(g, tilesX, units);
        int maxTiles = perBlock * tilesX;
        // Weights kept across calls keep their transform and its 16 packed left operands too.
        var geometry = g;
        using var u = PreparedConvWeights.Prepare(weight, nameof(WinogradConv2d), checked(16 * cout * cin),
            destination => TransformWeights(geometry, weight, destination));
        float* pu = u.Pointer;
        var panels = new PackedLeftOperand?[16];
        if (PreparedConvWeights.For(weight) is { } kept)
            for (int k = 0; k < 16; k++) panels[k] = kept.PackedLeft(false, cout, maxTiles, cin, pu + (long)k * cout * cin, cin);
        using var v = new ScratchBuffer(checked(16 * cin * maxTiles));
        using var m = new ScratchBuffer(checked(16 * cout * maxTiles));
        for (int first = 0; first < units; first += perBlock)
        {
            int count = Math.Min(perBlock, units - first), tiles = count * tilesX;
            TransformInput(g, input, first, count, tilesX, v.Pointer, tiles);
            float* pv = v.Pointer, pm = m.Pointer;
            void Product(int k) => GemmEngine.Sgemm(false, false, cout, tiles, cin, 1f, pu + (long)k * cout * cin, cin,
                pv + (long)k * cin * tiles, tiles, 0f, pm + (long)k * cout * tiles, tiles, panels[k]);
            if (ProductsGoWhole) Parallelism.ForWhole(0, 16, Product, BFloat16Scope.IsActive);
            else for (int k = 0; k < 16; k++) Product(k);
            TransformOutput(g, m.Pointer, tiles, first, count, tilesX, bias, output);
        }
    }

    /// <summary>
    /// Tile rows per block: enough tiles that V and M (16 * (InChannels + OutChannels) floats per tile) fill about
    /// <see cref="BlockFloats"/>, but at least <see cref="MinBlockTiles"/> tiles and one tile row.
    /// </summary>
    internal static int UnitsPerBlock(in Conv2dGeometry g, int tilesX, int units)
    {
        long perTile = 16L * (g.InChannels + g.OutChannels);
        long tiles = Math.Max(MinBlockTiles, BlockFloats / perTile);
        return (int)Math.Clamp((tiles + tilesX - 1) / tilesX, 1, units);
    }
}
