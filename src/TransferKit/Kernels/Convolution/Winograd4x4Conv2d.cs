using System.Runtime.Intrinsics.X86;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// Forward 3x3, stride-1 convolution by Winograd's minimal filtering F(4x4, 3x3) (Lavin and Gray, 2016, here with the
/// interpolation points 0, -1, 1, 1/2, -2 for accuracy): each 4x4 block of output pixels needs 36 multiplications per (input, output)
/// channel pair instead of 144, a quarter, where F(2x2, 3x3) (<see cref="WinogradConv2d"/>) saves 2.25x. Per block of
/// tiles the input is transformed to 36 matrices V_k [InChannels x tiles], the 36 products M_k = U_k V_k run on the
/// AVX-512 8x32 tile reading V where it lies (<see cref="MicroKernel512.RunStrided"/>; on AVX2 the 6x16 one,
/// <see cref="MicroKernel256.RunStrided"/>) against the weights' transform packed once into its micro-panels, and each
/// 6x6 product tile becomes 4x4 output pixels, with the bias, the residual and the activation applied to each output row
/// while it is in L1.
/// <para>
/// The transforms cost accuracy: against float64, outputs of 64 to 512 input channels differ by about 3e-6 to 7e-6 of
/// their largest magnitude, against 1e-7 to 3e-7 for direct float32 summation; through whole networks the logits still
/// match PyTorch to 1e-4. Auto's rule is <see cref="Conv2dKernel.PrefersWinograd4x4"/>; the input gradient of a 3x3
/// layer runs it too (<see cref="BackwardData"/>). <see cref="NaiveConv2d"/> is the reference twin.
/// </para>
/// </summary>
internal static unsafe partial class Winograd4x4Conv2d
{
    /// <summary>Side of an input tile (output tile 4 plus kernel 3 minus 1).</summary>
    internal const int TileSide = 6;

    /// <summary>Output pixels per tile side.</summary>
    internal const int OutputSide = 4;

    /// <summary>Products (and transform matrices) per block: one per element of the 6x6 tile.</summary>
    private const int Products = TileSide * TileSide;

    /// <summary>Rows and columns of the product kernel's tile: AVX-512's 8x32, AVX2's 6x16.</summary>
    private static int Mr => Avx512F.IsSupported ? 8 : 6;

    private static int Nr => Avx512F.IsSupported ? 32 : 16;

    /// <summary>Tiles of one sliver of the products: the fewest that fill the product tile's columns.</summary>
    internal static int SliverTiles => Nr;

    /// <summary>Floats of V and M together that one block of tiles aims at (tuned in <c>winograd4-convs</c>).</summary>
    internal static int BlockFloats { get; set; } = 2 << 20;

    /// <summary>Whether the kernel can run here: the products need the AVX-512 tile or the AVX2 one (with FMA).</summary>
    internal static bool IsAvailable => Avx512F.IsSupported || (Avx2.IsSupported && Fma.IsSupported);

    /// <summary>Whether the geometry is one this kernel computes (as <see cref="WinogradConv2d.Supports"/>) on this machine.</summary>
    internal static bool Supports(in Conv2dGeometry g) => IsAvailable && WinogradConv2d.Supports(g);

    /// <summary>Computes output = activation(conv(input, weight) + bias + residual), overwriting <paramref name="output"/>.</summary>
    /// <param name="g">The geometry; validated first, and it must satisfy <see cref="Supports"/>.</param>
    /// <param name="input">[Batch, InChannels, InHeight, InWidth].</param>
    /// <param name="weight">[OutChannels, InChannels, 3, 3].</param>
    /// <param name="bias">[OutChannels], or null for no bias.</param>
    /// <param name="output">[Batch, OutChannels, OutHeight, OutWidth]; prior contents are ignored.</param>
    /// <param name="activation">Applied last.</param>
    /// <param name="residual">Shaped as <paramref name="output"/> and added before the activation, or null.</param>
    /// <exception cref="ArgumentException">The geometry is invalid or not one this kernel computes here.</exception>
    /// <exception cref="ArgumentNullException">A required pointer is null.</exception>
    public static void Forward(in Conv2dGeometry g, float* input, float* weight, float* bias, float* output,
        ActivationKind activation = ActivationKind.Identity, float* residual = null)
    {
        g.Validate();
        if (!Supports(g))
            throw new ArgumentException($"Winograd F(4x4, 3x3) needs AVX-512 or AVX2, Groups 1, a 3x3 kernel, stride 1 and dilation 1; got {g}.", nameof(g));
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(output);

        int cin = g.InChannels, panels = (g.OutChannels + Mr - 1) / Mr, rows = panels * Mr;
        int tilesX = (g.OutWidth + OutputSide - 1) / OutputSide, tilesY = (g.OutHeight + OutputSide - 1) / OutputSide;
        int tiles = g.Batch * tilesY * tilesX;
        var geometry = g;
        using var u = PreparedConvWeights.Prepare(weight, nameof(Winograd4x4Conv2d), checked(Products * rows * cin),
            destination => TransformWeights(geometry, weight, destination));
        var block = new Block(g, u.Pointer, rows, tilesX, input, bias, output, activation, residual);
        int privateTiles = TilesPerBlock(g, PrivateBlockFloats), privateBlocks = (tiles + privateTiles - 1) / privateTiles;
        if (PrivateBlocks && Parallelism.ThreadsHere > 1 && privateBlocks >= MinPrivateBlocksPerThread * Parallelism.ThreadsHere)
        {
            // Every thread transforms, multiplies and transforms back its own blocks, so that V and M stay in its L2.
            Parallelism.ForWhole(0, privateBlocks, b => block.Run(b * privateTiles, Math.Min(privateTiles, tiles - b * privateTiles)), bfloat16: false);
            return;
        }
        // Each shared block reads all of U again, so a block's V and M grow to U's size at least (ResNet's 512 channels
        // on 7x7: U is 38 MB, V and M for all 64 tiles of a batch of 16 9 MB).
        int perBlock = TilesPerBlock(g, (int)Math.Min(int.MaxValue, Math.Max(BlockFloats, (long)Products * rows * cin)));
        for (int first = 0; first < tiles; first += perBlock) block.Run(first, Math.Min(perBlock, tiles - first));
    }

    /// <summary>
    /// Writes (<paramref name="overwrite"/>) or adds the gradient of the loss with respect to the input into
    /// <paramref name="gradInput"/>: the forward pass of the output gradient with the rotated kernel, padded by 2 - padding
    /// (<see cref="TransposedConvolution"/>), whose epilogue adds the prior contents where they are kept.
    /// </summary>
    /// <param name="g">The forward geometry: Groups 1, 3x3 kernel, stride 1, dilation 1, padding at most 2.</param>
    /// <param name="gradOutput">[Batch, OutChannels, OutHeight, OutWidth].</param>
    /// <param name="weight">[OutChannels, InChannels, 3, 3].</param>
    /// <param name="gradInput">[Batch, InChannels, InHeight, InWidth].</param>
    /// <param name="overwrite">Whether the prior contents of <paramref name="gradInput"/> are ignored rather than added to.</param>
    /// <exception cref="ArgumentException">The geometry is invalid or not one this kernel computes here.</exception>
    /// <exception cref="ArgumentNullException">A pointer is null.</exception>
    public static void BackwardData(in Conv2dGeometry g, float* gradOutput, float* weight, float* gradInput, bool overwrite)
    {
        g.Validate();
        if (!IsAvailable || !WinogradConv2d.SupportsBackwardData(g))
            throw new ArgumentException($"Winograd F(4x4, 3x3) backward-data needs AVX-512 or AVX2, Groups 1, a 3x3 kernel, stride 1, dilation 1 and padding at most 2; got {g}.", nameof(g));
        ArgumentNullException.ThrowIfNull(gradOutput);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(gradInput);
        using var rotated = new ScratchBuffer(g.WeightLength);
        TransposedConvolution.RotateWeights(g, weight, rotated.Pointer);
        // The epilogue reads each residual vector before it stores the same place, so the gradient may be its own residual.
        Forward(TransposedConvolution.Geometry(g), gradOutput, rotated.Pointer, null, gradInput, ActivationKind.Identity, overwrite ? null : gradInput);
    }

    /// <summary>Whether blocks may go to the threads whole (<see cref="PrivateBlockFloats"/>); benchmarks turn it off to compare.</summary>
    internal static bool PrivateBlocks { get; set; } = true;

    /// <summary>Floats of V and M together in a block that one thread runs alone (tuned in <c>winograd4-convs</c>).</summary>
    internal static int PrivateBlockFloats { get; set; } = 256 << 10;

    /// <summary>Fewest whole blocks per thread for which blocks go to the threads whole, so that the shares stay even.</summary>
    private const int MinPrivateBlocksPerThread = 4;

    /// <summary>One call's operands: runs the transforms and the products for one block of tiles.</summary>
    private sealed class Block(Conv2dGeometry g, float* u, int rows, int tilesX, float* input, float* bias, float* output,
        ActivationKind activation, float* residual)
    {
        /// <summary>Tiles [<paramref name="first"/>, + <paramref name="tiles"/>): input transform, the 36 products, output transform.</summary>
        public void Run(int first, int tiles)
        {
            int cin = g.InChannels, panels = rows / Mr, columns = RoundUp(tiles, Nr);
            using var v = new ScratchBuffer(checked(Products * cin * columns));
            using var m = new ScratchBuffer(checked(Products * rows * columns));
            float* pu = u, pv = v.Pointer, pm = m.Pointer;
            TransformInput(g, input, first, tiles, tilesX, pv, columns);
            Parallelism.ForWhole(0, Products, k => Product(cin, panels, columns, pu + (long)k * rows * cin,
                pv + (long)k * cin * columns, pm + (long)k * rows * columns), bfloat16: false);
            TransformOutput(g, pm, (long)rows * columns, columns, first, tiles, tilesX, bias, output, activation, residual);
        }
    }

    /// <summary>
    /// M_k = U_k V_k: for each sliver of <see cref="Nr"/> tiles (read in place, rows <paramref name="columns"/> apart)
    /// every micro-panel of U_k in turn, so that the sliver stays in L1 and U_k in L2.
    /// </summary>
    private static void Product(int cin, int panels, int columns, float* u, float* v, float* m)
    {
        int mr = Mr, nr = Nr;
        for (int s = 0; s < columns; s += nr)
            for (int q = 0; q < panels; q++)
            {
                float* a = u + (long)q * mr * cin, c = m + (long)q * mr * columns + s;
                if (Avx512F.IsSupported) MicroKernel512.RunStrided(cin, a, v + s, columns, c, columns, 0f);
                else MicroKernel256.RunStrided(cin, a, v + s, columns, c, columns, 0f);
            }
    }

    /// <summary>
    /// Tiles per block: a whole number of slivers whose V and M (36 * (InChannels + OutChannels) floats per
    /// tile) fill about <paramref name="blockFloats"/>, at least one sliver.
    /// </summary>
    internal static int TilesPerBlock(in Conv2dGeometry g, int blockFloats)
    {
        long perTile = (long)Products * (g.InChannels + RoundUp(g.OutChannels, Mr));
        return (int)Math.Clamp(blockFloats / perTile / Nr * Nr, Nr, 1 << 20);
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
