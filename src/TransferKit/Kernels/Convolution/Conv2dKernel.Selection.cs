namespace TransferKit.Kernels.Convolution;

/// <summary>The choice between the direct kernel, Winograd and im2col for the forward pass of convolutions.</summary>
public static partial class Conv2dKernel
{
    /// <summary>The environment variable that forces a forward algorithm: <c>auto</c> (default), <c>im2col</c> or <c>winograd</c>.</summary>
    internal const string AlgorithmVariable = "TRANSFERKIT_CONV";

    private static Conv2dForwardAlgorithm? s_algorithm;

    /// <summary>
    /// The forward algorithm for geometries <see cref="WinogradConv2d"/> supports. Read from <c>TRANSFERKIT_CONV</c> on
    /// first use; tests and benchmarks set it directly.
    /// </summary>
    /// <exception cref="TransferKitException">On first read, the variable names no algorithm.</exception>
    internal static Conv2dForwardAlgorithm ForwardAlgorithm
    {
        get => s_algorithm ??= ParseAlgorithm(Environment.GetEnvironmentVariable(AlgorithmVariable));
        set => s_algorithm = value;
    }

    /// <summary>Fewest input and output channels for which <see cref="Conv2dForwardAlgorithm.Auto"/> picks Winograd.</summary>
    internal static int WinogradMinChannels { get; set; } = 64;

    /// <summary>Smallest output height and width for which <see cref="Conv2dForwardAlgorithm.Auto"/> picks Winograd.</summary>
    internal static int WinogradMinPlaneSide { get; set; } = 14;

    /// <summary>Fewest 2x2 output tiles over the whole batch for which <see cref="Conv2dForwardAlgorithm.Auto"/> picks Winograd.</summary>
    internal static int WinogradMinTiles { get; set; } = 96;

    /// <summary>The algorithm named by <paramref name="value"/> (case and surrounding spaces ignored; null or empty is auto).</summary>
    /// <exception cref="TransferKitException">The value names no algorithm.</exception>
    internal static Conv2dForwardAlgorithm ParseAlgorithm(string? value) =>
        (value ?? "").Trim().ToLowerInvariant() switch
        {
            "" or "auto" => Conv2dForwardAlgorithm.Auto,
            "im2col" => Conv2dForwardAlgorithm.Im2Col,
            "winograd" => Conv2dForwardAlgorithm.Winograd,
            "direct" => Conv2dForwardAlgorithm.Direct,
            "winograd4x4" => Conv2dForwardAlgorithm.Winograd4x4,
            _ => throw new TransferKitException($"{AlgorithmVariable}='{value}' is not a convolution algorithm; use auto, im2col, winograd, winograd4x4 or direct."),
        };

    /// <summary>
    /// Whether <see cref="Forward"/> takes the direct path for <paramref name="g"/> under <see cref="ForwardAlgorithm"/>.
    /// Inside a bfloat16 scope Auto follows <see cref="PrefersBFloat16Direct"/> where <see cref="BFloat16DirectKernel"/>
    /// runs; where it does not, the float32 kernel is kept only where a side has at most
    /// <see cref="DirectOverBFloat16MaxChannels"/> channels, since there it beat the bfloat16 products too (ResNet's
    /// 64-channel 3x3 on 56x56 10.7 against 11.4 ms, the 7x7 stem 14 against 18 ms, DenseNet's 128-&gt;32 by 2x and more),
    /// while 128 channels on 28x28 ran 11.2 against 9.1 ms.
    /// </summary>
    internal static bool UsesDirect(in Conv2dGeometry g, bool weightsKept = false) =>
        DirectConv2d.Supports(g) && ForwardAlgorithm switch
        {
            Conv2dForwardAlgorithm.Direct => true,
            Conv2dForwardAlgorithm.Auto when Gemm.BFloat16Scope.IsActive && BFloat16DirectKernel.IsAvailable => PrefersBFloat16Direct(g, weightsKept),
            Conv2dForwardAlgorithm.Auto => PrefersDirect(g, weightsKept)
                && (!Gemm.BFloat16Scope.IsActive || Math.Min(g.InChannels, g.OutChannels) <= DirectOverBFloat16MaxChannels),
            _ => false,
        };

    /// <summary>Most channels on one side for which Auto keeps the float32 direct kernel inside a bfloat16 scope without the bfloat16 one.</summary>
    internal const int DirectOverBFloat16MaxChannels = 64;

    /// <summary>
    /// The measured rule for Auto inside a bfloat16 scope with <see cref="BFloat16DirectKernel"/> (2026-12-07,
    /// <c>bf16-direct-convs [strided] [1|16] [kept]</c>, interleaved against the same scope's Winograd or bfloat16 im2col
    /// on 2 threads). The bfloat16 tile runs at 620-760 GFLOP/s on large planes, against 350-420 for the float32 one, so
    /// it beats the other paths on narrow and on most wide layers: ResNet's 3x3 from
    /// 64 to 512 channels on 56 down to 7 1.14x-1.72x at batch 16 with kept weights, its stride-2 3x3 1.07x-1.29x,
    /// DenseNet's 128-&gt;32 1.9x-3.8x, Inception's 5x5, 1x7 and 7x1 1.16x-1.83x. What still loses:
    /// <list type="bullet">
    /// <item>planes where under <see cref="BFloat16DirectMinUsefulShare"/> of the computed positions are outputs:
    /// Inception's 8x8 layers (half of them) ran 0.58x-0.80x, while 1x7 on 17x17 (0.65) ran 1.16x-1.27x;</item>
    /// <item>weights arranged on every call for little work: with fewer than <see cref="BFloat16DirectMinFreshPositions"/>
    /// output positions in the batch the arrangement weighs (one image at 7x7 to 16x16 with 256-512 channels
    /// 0.64x-1.00x); kept weights (folded inference) pay it once;</item>
    /// <item>one layer that stays a loss: the baseline CNN's 128-&gt;256 on 16x16 against Winograd, 0.72x-0.85x.</item>
    /// </list>
    /// </summary>
    internal static bool PrefersBFloat16Direct(in Conv2dGeometry g, bool weightsKept) =>
        DirectInAuto && DirectConv2d.UsefulShare(g) >= BFloat16DirectMinUsefulShare
        && (weightsKept || (long)g.Batch * g.OutHeight * g.OutWidth >= BFloat16DirectMinFreshPositions);

    /// <summary>Least share of computed positions that are outputs for which Auto takes the bfloat16 direct kernel.</summary>
    internal const double BFloat16DirectMinUsefulShare = 0.6;

    /// <summary>Fewest output positions in the batch for which Auto takes the bfloat16 direct kernel with weights arranged per call.</summary>
    internal const int BFloat16DirectMinFreshPositions = 1024;

    /// <summary>Whether <see cref="Conv2dForwardAlgorithm.Auto"/> may pick the direct kernel; benchmarks turn it off to compare.</summary>
    internal static bool DirectInAuto { get; set; } = true;

    /// <summary>Output side from which <see cref="Conv2dForwardAlgorithm.Auto"/> takes the direct 3x3 kernel over Winograd.</summary>
    internal const int DirectOverWinogradMinSide = 28;

    /// <summary>Most output channels for which the direct kernel beats im2col on planes below <see cref="DirectOverWinogradMinSide"/>.</summary>
    internal const int DirectOnSmallPlanesMaxChannels = 64;

    /// <summary>Most input channels for which the direct kernel beats im2col on other kernels and strides than 3x3 stride 1.</summary>
    internal const int DirectOtherMaxInChannels = 64;

    /// <summary>
    /// The measured rule for <see cref="Conv2dForwardAlgorithm.Auto"/> (2026-12-06, <c>direct-convs</c> at batch 16 and 1,
    /// interleaved against Winograd or im2col on 2 threads): the direct kernel computes along padded rows, so each row
    /// wastes two positions and each plane rounds up to 64, which small planes feel most.
    /// <list type="bullet">
    /// <item>Against Winograd, from <see cref="DirectOverWinogradMinSide"/> up: 1.05x-1.8x at batch 16 and 4x-5x at
    /// batch 1 on ResNet's 56 and 28 planes, but 0.75x on 14 and 0.66x on the baseline CNN's 16.</item>
    /// <item>Against im2col from <see cref="DirectOverWinogradMinSide"/> up too: Inception's 1.2x-1.7x, the baseline
    /// CNN's first layers 1.15x-1.6x; below it only with few output channels (DenseNet's 128-&gt;32 on 14x14 and 7x7
    /// 1.8x-3.7x), since 256 channels on 14x14 ran 0.77x and 512 on 7x7 0.38x-0.83x.</item>
    /// <item>Other kernels and stride 2 (<c>direct-convs strided</c>) with at most <see cref="DirectOtherMaxInChannels"/>
    /// input channels: the 7x7 stride-2 stem 1.5x, Inception's 5x5 1.6x-1.9x, MobileNet's 3x3 stride-2 stem 1.1x, 64-&gt;128
    /// at stride 2 1.16x; with 128 to 512 input channels at stride 2 it ran 0.73x-1.07x, its phase planes no longer
    /// in L2 while every tile of output channels reads them again.</item>
    /// <item>Weights kept across calls (<see cref="PreparedConvWeights"/>, folded inference), 3x3 stride 1 below
    /// <see cref="DirectOverWinogradMinSide"/> where Winograd does not apply: any number of output channels, as long as
    /// at least <see cref="DirectKeptMinUsefulShare"/> of the positions it computes are outputs. The arrangement of the
    /// weights is then paid once, not per call: on 7x7 (0.77 useful) 128 to 512 channels ran 1.4x-2x against im2col at
    /// batch 16 and 1.4x-2x at batch 1; on 8x8 (0.5) 0.64x-0.84x and on 17x17 (0.75) 0.95x.</item>
    /// </list>
    /// </summary>
    internal static bool PrefersDirect(in Conv2dGeometry g, bool weightsKept = false)
    {
        if (!DirectInAuto) return false;
        if (!DirectConv2d.Wide) return PrefersDirectAvx2(g);
        bool threeByThree = g.KernelHeight == 3 && g.KernelWidth == 3 && g.StrideHeight == 1 && g.PadHeight == 1 && g.PadWidth == 1;
        if (!threeByThree) return g.InChannels <= DirectOtherMaxInChannels || (VerticalKernelsDirect && IsVerticalStrideOne(g));
        int side = Math.Min(g.OutHeight, g.OutWidth);
        if (side >= DirectOverWinogradMinSide) return true;
        if (WinogradConv2d.Supports(g) && PrefersWinograd(g, weightsKept)) return false;
        return g.OutChannels <= DirectOnSmallPlanesMaxChannels || (weightsKept && DirectConv2d.UsefulShare(g) >= DirectKeptMinUsefulShare);
    }

    /// <summary>
    /// The measured rule for <see cref="Conv2dForwardAlgorithm.Auto"/> on AVX2, where the tile is three vectors of 8 by
    /// four channels and runs at about the 6x16 GEMM tile's rate (AVX2 Zen 3, 2026-12-08, <c>direct-convs [strided] kept</c>,
    /// batch 16, 2 threads, interleaved against Auto without it): it pays only where im2col copies each input value many
    /// times for few input channels. Kernels of 25 taps and more with at most <see cref="DirectOtherMaxInChannels"/> input
    /// channels (ResNet's and DenseNet's 7x7 stride-2 stem 1.17x, Inception's 5x5 48-&gt;64 1.50x) and 3x3 stride 1 on at most
    /// four input channels (the baseline CNN's 3-&gt;32 1.26x). Elsewhere it lost: Winograd's 3x3 ran 2x-4x faster, the
    /// stride-2 3x3 stems 0.92x-0.96x, ResNet's stride-2 3x3 0.51x-0.86x, Inception's 1x7 and 7x1 0.77x-1.08x.
    /// </summary>
    internal static bool PrefersDirectAvx2(in Conv2dGeometry g) =>
        g.KernelHeight * g.KernelWidth >= 25 && g.InChannels <= DirectOtherMaxInChannels
        || g.InChannels <= 4 && g.KernelHeight == 3 && g.KernelWidth == 3 && g.StrideHeight == 1;

    /// <summary>
    /// Whether a K x 1 kernel at stride 1 (Inception-v3's 7x1 and 3x1) is a layer the direct kernel takes with any number
    /// of input channels: unpadded along its rows, every position it computes is an output, and against im2col's seven
    /// copies of the input (2026-12-07, <c>direct-convs strided only=inception [kept] [1]</c>) 7x1 with 160 and 192
    /// channels on 17x17 ran 1.17x-1.45x and 3x1 with 384 on 8x8 1.14x-1.39x, while 1x7 and 1x3 (six and two padded
    /// positions per row) ran 0.63x-1.14x and stay on im2col.
    /// </summary>
    internal static bool IsVerticalStrideOne(in Conv2dGeometry g) =>
        g.KernelWidth == 1 && g.KernelHeight > 1 && g.StrideHeight == 1 && g.StrideWidth == 1 && g.PadWidth == 0;

    /// <summary>Whether <see cref="IsVerticalStrideOne"/> layers take the direct kernel; benchmarks turn it off to compare.</summary>
    internal static bool VerticalKernelsDirect { get; set; } = true;

    /// <summary>Least share of computed positions that are outputs for which kept weights take the direct kernel on small planes.</summary>
    internal const double DirectKeptMinUsefulShare = 0.76;

    /// <summary>
    /// Whether <see cref="Forward"/> takes <see cref="Winograd4x4Conv2d"/> for <paramref name="g"/> under
    /// <see cref="ForwardAlgorithm"/> (<see cref="PrefersWinograd4x4"/>), inside a bfloat16 scope too, where its float32
    /// products still beat the bfloat16 direct kernel (ResNet-18 and ResNet-50 1.05x at batch 16, DenseNet-121 and
    /// Inception-v3 unchanged) with float32's accuracy.
    /// </summary>
    internal static bool UsesWinograd4x4(in Conv2dGeometry g, bool weightsKept = false, bool gradientsFollow = false) =>
        Winograd4x4Conv2d.Supports(g) && ForwardAlgorithm switch
        {
            Conv2dForwardAlgorithm.Winograd4x4 => true,
            Conv2dForwardAlgorithm.Auto => !gradientsFollow && PrefersWinograd4x4(g, weightsKept),
            _ => false,
        };

    /// <summary>Whether <see cref="Conv2dForwardAlgorithm.Auto"/> may pick <see cref="Winograd4x4Conv2d"/>; benchmarks turn it off to compare.</summary>
    internal static bool Winograd4x4InAuto { get; set; } = true;

    /// <summary>
    /// The measured rule for <see cref="Winograd4x4Conv2d"/> in Auto (2026-12-07, <c>winograd4-convs [1]</c>, kept
    /// weights, interleaved against Auto's path without it on 2 threads). At batch 16 it ran ResNet's 3x3 layers from 64
    /// channels on 56x56 to 512 on 7x7 1.9x-2.35x faster than the direct kernel and im2col, Inception's 64-&gt;96 and
    /// 32-&gt;64 1.65x, the baseline CNN's 32-&gt;64 to 128-&gt;256 1.75x-2.3x and DenseNet's 128-&gt;32 on 56x56 and 28x28
    /// 1.14x-1.18x. What loses:
    /// <list type="bullet">
    /// <item>fewer than <see cref="Winograd4x4MinChannels"/> channels on a side: the transforms then outweigh the
    /// products they save (the baseline CNN's 3-&gt;32 0.28x-0.66x);</item>
    /// <item>fewer than <see cref="Winograd4x4MinTiles"/> tiles in the batch: the products run whole slivers of 32
    /// tiles on AVX-512, 16 on AVX2 (one 7x7 image has 4: ResNet's 512 channels 0.31x, DenseNet's 0.19x at batch 1);</item>
    /// <item>narrow outputs on small planes, where each product is only a few rows of the tile: DenseNet's 128-&gt;32 on
    /// 14x14 0.96x and on 7x7 0.76x at batch 16 against the direct kernel. Without AVX-512 there is no direct kernel,
    /// and the same layers ran 2.7x and 2.3x faster than im2col (AVX2 Zen 3, 2026-12-07).</item>
    /// </list>
    /// On that AVX2 machine the kernel's 6x16 form ran the other layers above 1.6x-3.0x faster than im2col at batch 16
    /// (kept or fresh weights) and 1.65x-3.1x at batch 1 from 16 tiles up; 4 tiles lost there too (0.86x-0.90x).
    /// </summary>
    /// <remarks>
    /// Weights transformed on every call (training, unfolded layers: <c>winograd4-convs fresh [1]</c>) pay about 12 ns per
    /// channel pair on each call (3 ms for 512 x 512), which the products of <see cref="Winograd4x4FreshMinTiles"/> tiles
    /// repay: at batch 16 ResNet's 3x3 layers ran 1.25x (512 channels on 7x7, 64 tiles) to 2.3x, the baseline CNN's
    /// 32-&gt;64 to 128-&gt;256 1.55x-2.2x; at batch 1 ResNet's 128 channels on 28x28 (49 tiles) 1.42x, while 16 tiles lost
    /// (ResNet's 256 channels on 14x14 0.66x, the baseline CNN's 128-&gt;256 on 16x16 0.76x).
    /// </remarks>
    internal static bool PrefersWinograd4x4(in Conv2dGeometry g, bool weightsKept = true)
    {
        if (!Winograd4x4InAuto || Math.Min(g.InChannels, g.OutChannels) < Winograd4x4MinChannels) return false;
        long tiles = (long)g.Batch * ((g.OutHeight + 3) / 4) * ((g.OutWidth + 3) / 4);
        bool enoughTiles = weightsKept ? tiles >= Winograd4x4MinTiles : Winograd4x4ForFreshWeights && tiles >= Winograd4x4FreshMinTiles;
        // On AVX2 the direct kernel's narrow tile lost to these layers' Winograd (DenseNet's 128->32 on 14x14 and 7x7 ran
        // 1.84x and 2.23x faster than im2col, Winograd 2.7x and 2.3x).
        return enoughTiles && (g.OutChannels >= 64 || Math.Min(g.OutHeight, g.OutWidth) >= DirectOverWinogradMinSide
            || !DirectConv2d.Wide || !DirectConv2d.Supports(g));
    }

    /// <summary>Fewest 4x4 output tiles over the batch for which Auto takes <see cref="Winograd4x4Conv2d"/> with weights transformed per call.</summary>
    internal const int Winograd4x4FreshMinTiles = 48;

    /// <summary>Whether Auto may take <see cref="Winograd4x4Conv2d"/> for weights not kept across calls; benchmarks turn it off to compare.</summary>
    internal static bool Winograd4x4ForFreshWeights { get; set; } = true;

    /// <summary>Fewest input and output channels for which Auto takes <see cref="Winograd4x4Conv2d"/>.</summary>
    internal const int Winograd4x4MinChannels = 32;

    /// <summary>
    /// Fewest 4x4 output tiles over the batch for which Auto takes <see cref="Winograd4x4Conv2d"/> with kept weights: one
    /// whole sliver of the product tile, 32 tiles with AVX-512 and 16 with AVX2. On the AVX2 machine 16 tiles (a 14x14
    /// plane at batch 1) ran ResNet's 256 channels 2.14x and DenseNet's 128-&gt;32 2.83x faster than im2col, 4 tiles lost.
    /// </summary>
    internal static int Winograd4x4MinTiles => Winograd4x4Conv2d.SliverTiles;

    /// <summary>Whether <see cref="Forward"/> takes the Winograd path for <paramref name="g"/> under <see cref="ForwardAlgorithm"/>.</summary>
    internal static bool UsesWinograd(in Conv2dGeometry g, bool weightsKept = false) =>
        WinogradConv2d.Supports(g) && ForwardAlgorithm switch
        {
            Conv2dForwardAlgorithm.Winograd => true,
            Conv2dForwardAlgorithm.Auto => PrefersWinograd(g, weightsKept),
            _ => false,
        };

    /// <summary>
    /// Whether <see cref="BackwardData(in Conv2dGeometry, float*, float*, float*)"/> takes <see cref="Winograd4x4Conv2d"/>
    /// for <paramref name="g"/>: the input gradient is the forward pass of <see cref="TransposedConvolution.Geometry"/>
    /// with the kernel rotated on every call, so the forward setting and rule for weights not kept decide, applied to that.
    /// </summary>
    internal static bool UsesWinograd4x4BackwardData(in Conv2dGeometry g) =>
        WinogradConv2d.SupportsBackwardData(g) && UsesWinograd4x4(TransposedConvolution.Geometry(g), weightsKept: false);

    /// <summary>
    /// Whether <see cref="BackwardData(in Conv2dGeometry, float*, float*, float*)"/> takes the Winograd F(2x2, 3x3) path for <paramref name="g"/> (where
    /// <see cref="UsesWinograd4x4BackwardData"/> does not): the same setting and rule as the forward pass decide, applied to
    /// <see cref="TransposedConvolution.Geometry"/>.
    /// </summary>
    internal static bool UsesWinogradBackwardData(in Conv2dGeometry g) =>
        WinogradConv2d.SupportsBackwardData(g) && ForwardAlgorithm switch
        {
            Conv2dForwardAlgorithm.Winograd => true,
            Conv2dForwardAlgorithm.Auto => PrefersWinograd(TransposedConvolution.Geometry(g)),
            _ => false,
        };

    /// <summary>
    /// The measured rule for <see cref="Conv2dForwardAlgorithm.Auto"/> (managed AVX-512 GEMM, 2 threads, forward only):
    /// <list type="bullet">
    /// <item>both channel counts at least <see cref="WinogradMinChannels"/>: with 16 or 32 channels the transforms cost as
    /// much as the GEMMs save (0.66x to 0.97x at 16 and 32 channels);</item>
    /// <item>an output plane at least <see cref="WinogradMinPlaneSide"/> on each side: on 7x7 and 12x12 planes the tile rows
    /// are too short for the vector transforms and odd sizes waste a quarter of the tiles (0.95x to 1.08x);</item>
    /// <item>at least <see cref="WinogradMinTiles"/> tiles in the batch, which pay for transforming the weights
    /// (16/9 times their size) on every call: one 14x14 image (49 tiles) ran 0.71x at 512 channels and 0.95x at 256,
    /// two (98 tiles) 1.21x at 256. Weights kept across calls (<see cref="PreparedConvWeights"/>) are transformed once,
    /// so they need no least number of tiles: one 14x14 image then ran 1.4x-1.7x against im2col at 128 and 256 channels.</item>
    /// </list>
    /// Where it holds, Winograd measured 1.1x to 3.3x faster at VGG-16 and ResNet-50 3x3 shapes.
    /// </summary>
    internal static bool PrefersWinograd(in Conv2dGeometry g, bool weightsKept = false) =>
        Math.Min(g.InChannels, g.OutChannels) >= WinogradMinChannels
        && Math.Min(g.OutHeight, g.OutWidth) >= WinogradMinPlaneSide
        && (weightsKept || (long)g.Batch * ((g.OutHeight + 1) / 2) * ((g.OutWidth + 1) / 2) >= WinogradMinTiles);
}
