using System.Numerics.Tensors;
using TransferKit.Kernels.Activations;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// The fast 2-D convolution on the CPU, with PyTorch's <c>nn.Conv2d</c> semantics on NCHW float32 tensors; see
/// <see cref="Conv2dGeometry"/> for the shapes. It picks a path from the geometry:
/// depthwise (Groups == InChannels &gt; 1, any channel multiplier) runs a direct per-plane kernel;
/// the forward pass and the input gradient of ungrouped 3x3 stride-1 convolutions with enough channels and a large
/// enough plane run Winograd F(2x2, 3x3) (<see cref="WinogradConv2d"/>; the environment variable
/// <c>TRANSFERKIT_CONV=im2col</c> turns it off; the weight gradient stays on im2col);
/// 1x1 stride-1 unpadded convolutions on large planes are one GEMM per image and group on the input itself;
/// everything else unfolds patches (im2col) and calls GEMM, stacking several images into one GEMM when the
/// output planes are small (under <see cref="StackBelowPlane"/> pixels, e.g. ResNet's 7x7 and 14x14 stages), so that deep
/// layers do not run many GEMMs only 49 columns wide. Small 1x1 layers take the stacked im2col path too (a gather).
/// GEMM is always called from the calling thread; only the copies run in <see cref="Parallelism"/> loops.
/// <see cref="NaiveConv2d"/> is the reference twin.
/// </summary>
public static unsafe partial class Conv2dKernel
{
    /// <summary>
    /// Output planes with fewer pixels than this stack several images into one GEMM. First measured single-threaded with
    /// OpenBLAS at ResNet-50 shapes, batch 8 (7x7 planes gained 10-25%, 14x14 nothing); with the managed GEMM on 2
    /// threads, stacking 14x14 planes too (256 rather than 128) packs each layer's weights once per batch instead of once
    /// per image: whole networks at batch 16, interleaved in one process (2026-12-06, `stack-plane-networks`),
    /// mobilenet_v2 1.02-1.12x, efficientnet_b0 1.03-1.08x, resnet50 1.02-1.05x, resnet18 1.06x, densenet121 1.01x,
    /// inception_v3 0.98x (its planes are 8x8, 17x17 and 35x35: unchanged, noise). Internal and settable so that
    /// benchmarks can tune it.
    /// </summary>
    internal static int StackBelowPlane { get; set; } = 256;

    /// <summary>GEMM columns (images times output pixels) to aim for when stacking images.</summary>
    internal static int TargetColumns { get; set; } = 1024;

    /// <summary>Upper bound, in floats, on the column buffer when stacking images (64 MiB).</summary>
    internal static long MaxStackedColumnFloats { get; set; } = 16L << 20;

    /// <summary>Computes output = conv(input, weight) + bias, overwriting <paramref name="output"/>.</summary>
    /// <param name="g">The geometry; validated first.</param>
    /// <param name="input">[Batch, InChannels, InHeight, InWidth].</param>
    /// <param name="weight">[OutChannels, InChannels / Groups, KernelHeight, KernelWidth].</param>
    /// <param name="bias">[OutChannels], or null for no bias.</param>
    /// <param name="output">[Batch, OutChannels, OutHeight, OutWidth]; prior contents are ignored.</param>
    /// <exception cref="ArgumentException">The geometry is invalid (see <see cref="Conv2dGeometry.Validate"/>).</exception>
    /// <exception cref="ArgumentNullException">A required pointer is null.</exception>
    public static void Forward(in Conv2dGeometry g, float* input, float* weight, float* bias, float* output) =>
        ForwardFused(g, input, weight, bias, output, ActivationKind.Identity, null);

    /// <summary>
    /// Computes output = activation(conv(input, weight) + bias + residual) in one pass: the bias, the residual and the
    /// activation are applied to each output tile as the kernel finishes it (the fused convolution of inference and
    /// frozen layers), instead of as separate passes over the output.
    /// </summary>
    /// <param name="g">The geometry; validated first.</param>
    /// <param name="input">[Batch, InChannels, InHeight, InWidth].</param>
    /// <param name="weight">[OutChannels, InChannels / Groups, KernelHeight, KernelWidth].</param>
    /// <param name="bias">[OutChannels], or null for no bias.</param>
    /// <param name="output">[Batch, OutChannels, OutHeight, OutWidth]; prior contents are ignored.</param>
    /// <param name="activation">Applied last.</param>
    /// <param name="residual">Shaped as <paramref name="output"/> and added before the activation, or null.</param>
    /// <exception cref="ArgumentException">The geometry is invalid.</exception>
    /// <exception cref="ArgumentNullException">A required pointer is null.</exception>
    /// <param name="gradientsFollow">
    /// Whether a tape records this call, so that gradients will be routed by comparisons on its output (ReLU, max pool):
    /// Auto then keeps <see cref="Winograd4x4Conv2d"/> out, whose rounding depends on a value's position in its tile and
    /// can break exact ties (a max pool over equal values) differently from PyTorch.
    /// </param>
    internal static void ForwardFused(in Conv2dGeometry g, float* input, float* weight, float* bias, float* output,
        ActivationKind activation, float* residual, bool gradientsFollow = false)
    {
        g.Validate();
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(output);
        if (IsDepthwise(g))
        {
            DepthwiseConv2d.Forward(g, input, weight, bias, output, activation, residual);
            return;
        }
        bool weightsKept = PreparedConvWeights.For(weight) is not null;
        if (UsesWinograd4x4(g, weightsKept, gradientsFollow))
        {
            Winograd4x4Conv2d.Forward(g, input, weight, bias, output, activation, residual);
            return;
        }
        if (UsesDirect(g, weightsKept))
        {
            DirectConv2d.Forward(g, input, weight, bias, output, activation, residual);
            return;
        }
        if (UsesWinograd(g, weightsKept))
        {
            WinogradConv2d.Forward(g, input, weight, bias, output);
            FusedEpilogue.ApplyPlanes(activation, output, g.Batch, g.OutChannels, g.OutHeight * g.OutWidth, null, residual);
            return;
        }
        if (IsPointwise(g) && RunsImagesSideBySide(g))
        {
            ForwardPointwiseSideBySide(g, input, (long)g.InChannels * g.InHeight * g.InWidth, weight, bias, output, activation, residual);
            return;
        }
        int perGemm = ImagesPerGemm(g);
        if (IsPointwise(g) && (perGemm == 1 || (UnstackedPointwise && GivesWholeImagesToThreads(g, 1)))) ForwardPointwise(g, input, (long)g.InChannels * g.InHeight * g.InWidth, weight, bias, output, activation, residual);
        else ForwardIm2Col(g, perGemm, input, weight, bias, output, activation, residual);
    }

    /// <summary>Adds the gradient of the loss with respect to the input to <paramref name="gradInput"/>.</summary>
    /// <param name="g">The geometry; validated first.</param>
    /// <param name="gradOutput">[Batch, OutChannels, OutHeight, OutWidth].</param>
    /// <param name="weight">[OutChannels, InChannels / Groups, KernelHeight, KernelWidth].</param>
    /// <param name="gradInput">[Batch, InChannels, InHeight, InWidth]; the gradient is added to its contents.</param>
    /// <exception cref="ArgumentException">The geometry is invalid.</exception>
    /// <exception cref="ArgumentNullException">A pointer is null.</exception>
    public static void BackwardData(in Conv2dGeometry g, float* gradOutput, float* weight, float* gradInput) =>
        BackwardData(g, gradOutput, weight, gradInput, overwrite: false);

    /// <summary>
    /// As the public overload, or with <paramref name="overwrite"/> into uninitialised <paramref name="gradInput"/>: the
    /// Winograd path writes the gradient there directly; the others clear it first (on all threads) and add.
    /// </summary>
    internal static void BackwardData(in Conv2dGeometry g, float* gradOutput, float* weight, float* gradInput, bool overwrite)
    {
        g.Validate();
        ArgumentNullException.ThrowIfNull(gradOutput);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(gradInput);
        if (!IsDepthwise(g) && UsesWinograd4x4BackwardData(g))
        {
            Winograd4x4Conv2d.BackwardData(g, gradOutput, weight, gradInput, overwrite);
            return;
        }
        if (!IsDepthwise(g) && UsesWinogradBackwardData(g))
        {
            WinogradConv2d.BackwardData(g, gradOutput, weight, gradInput, overwrite);
            return;
        }
        if (IsPointwise(g) && RunsImagesSideBySide(g))
        {
            BackwardDataPointwiseSideBySide(g, gradOutput, weight, gradInput, overwrite);
            return;
        }
        if (overwrite && RunsBackwardDataForward(g))
        {
            BackwardDataThroughForward(g, gradOutput, weight, gradInput);
            return;
        }
        if (overwrite) Elementwise.ElementwiseKernel.Clear(gradInput, g.InputLength);
        if (IsDepthwise(g))
        {
            DepthwiseConv2d.BackwardData(g, gradOutput, weight, gradInput);
            return;
        }
        int perGemm = ImagesPerGemm(g);
        if (perGemm == 1 && IsPointwise(g)) BackwardDataPointwise(g, gradOutput, weight, gradInput);
        else BackwardDataIm2Col(g, perGemm, gradOutput, weight, gradInput);
    }

    /// <summary>
    /// Adds the gradients of the loss with respect to the weight and the bias to <paramref name="gradWeight"/> and
    /// <paramref name="gradBias"/>.
    /// </summary>
    /// <param name="g">The geometry; validated first.</param>
    /// <param name="input">[Batch, InChannels, InHeight, InWidth], as given to <see cref="Forward"/>.</param>
    /// <param name="gradOutput">[Batch, OutChannels, OutHeight, OutWidth].</param>
    /// <param name="gradWeight">[OutChannels, InChannels / Groups, KernelHeight, KernelWidth]; the gradient is added.</param>
    /// <param name="gradBias">[OutChannels]; the sum of <paramref name="gradOutput"/> over batch and pixels is added. Null to skip.</param>
    /// <exception cref="ArgumentException">The geometry is invalid.</exception>
    /// <exception cref="ArgumentNullException">A required pointer is null.</exception>
    public static void BackwardWeight(in Conv2dGeometry g, float* input, float* gradOutput, float* gradWeight, float* gradBias)
    {
        g.Validate();
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(gradOutput);
        ArgumentNullException.ThrowIfNull(gradWeight);
        if (gradBias != null) AddBiasGradient(g, gradOutput, gradBias);
        if (IsDepthwise(g))
        {
            DepthwiseConv2d.BackwardWeight(g, input, gradOutput, gradWeight);
            return;
        }
        int perGemm = ImagesPerGemm(g);
        if (perGemm == 1 && IsPointwise(g)) BackwardWeightPointwise(g, input, gradOutput, gradWeight);
        else BackwardWeightIm2Col(g, perGemm, input, gradOutput, gradWeight);
    }

    /// <summary>
    /// Whether a 1x1 convolution on planes small enough to be stacked (<see cref="ImagesPerGemm"/> above 1) runs image by
    /// image instead when whole images go to the threads: each thread's product then reads its image's planes as they
    /// lie, with no stacking copy in and scatter out. Interleaved at batch 16: MobileNetV2 1.10x-1.15x,
    /// EfficientNet-B0 1.21x-1.28x, ResNet-50, DenseNet-121 and Inception-v3 0.99x-1.04x. Benchmarks turn it off to compare.
    /// </summary>
    internal static bool UnstackedPointwise { get; set; } = true;

    /// <summary>One group per input channel; OutChannels is then a multiple of InChannels (the channel multiplier).</summary>
    internal static bool IsDepthwise(in Conv2dGeometry g) => g.Groups > 1 && g.Groups == g.InChannels;

    /// <summary>A 1x1 convolution that reads every input pixel once, so the input planes are already the column matrix.</summary>
    internal static bool IsPointwise(in Conv2dGeometry g) =>
        g.KernelHeight == 1 && g.KernelWidth == 1 && g.StrideHeight == 1 && g.StrideWidth == 1 && g.PadHeight == 0 && g.PadWidth == 0;

    /// <summary>How many images share one GEMM on the im2col path.</summary>
    internal static int ImagesPerGemm(in Conv2dGeometry g)
    {
        int plane = g.OutHeight * g.OutWidth;
        if (plane >= StackBelowPlane || g.Batch == 1) return 1;
        int images = Math.Min(g.Batch, (TargetColumns + plane - 1) / plane);
        long perImage = (long)g.InChannelsPerGroup * g.KernelHeight * g.KernelWidth * plane;
        return (int)Math.Clamp(MaxStackedColumnFloats / perImage, 1, images);
    }

    /// <summary>gradBias[c] += sum of gradOutput over images and pixels of channel c, accumulated in double.</summary>
    private static void AddBiasGradient(in Conv2dGeometry g, float* gradOutput, float* gradBias)
    {
        int batch = g.Batch, channels = g.OutChannels, plane = g.OutHeight * g.OutWidth;
        Parallelism.For(0, channels, c =>
        {
            double sum = 0;
            for (int n = 0; n < batch; n++)
                sum += TensorPrimitives.Sum(new ReadOnlySpan<float>(gradOutput + ((long)n * channels + c) * plane, plane));
            gradBias[c] += (float)sum;
        }, Math.Max(1, 16384 / Math.Max(1, batch * plane)));
    }
}
