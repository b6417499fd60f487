using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Kernels.Convolution;

/// <summary>The 1x1, stride-1, unpadded path: each image's channel planes [Cin, H*W] are the GEMM operand as they lie.</summary>
public static unsafe partial class Conv2dKernel
{
    /// <summary>
    /// Whether a 1x1 convolution's images run side by side as one product (<see cref="ImageColumns"/>) rather than one
    /// product per image, and stacked im2col products store each image's part in place
    /// (<see cref="StoresStackedImagesInPlace"/>); benchmarks and tests turn it off to compare.
    /// </summary>
    internal static bool SideBySideImages { get; set; } = true;

    /// <summary>
    /// Least saving in 32-column slivers for which the images go side by side: 7x7 planes (2 slivers for 49 columns
    /// image by image, 1.53 side by side) and 14x14 (7 against 6.13) and 17x17 (10 against 9.03) qualify; 28x28
    /// (25 against 24.5) and 35x35 do not, nor any plane that is a whole number of slivers.
    /// </summary>
    private const double SideBySideMinSaving = 0.04;

    /// <summary>
    /// Whether <see cref="ForwardPointwiseSideBySide"/> runs <paramref name="g"/>: float32 on the AVX-512 or AVX2 managed GEMM,
    /// ungrouped, more than one image, planes at least one sliver wide that image by image would leave at least
    /// <see cref="SideBySideMinSaving"/> of their slivers' columns empty.
    /// </summary>
    internal static bool RunsImagesSideBySide(in Conv2dGeometry g)
    {
        if (!SideBySideImages || g.Groups != 1 || g.Batch < 2 || BFloat16Scope.IsActive) return false;
        if (GemmEngine.Provider is not ManagedGemm { RunsImages: true } managed) return false;
        int plane = g.InHeight * g.InWidth, nr = managed.TileColumns;
        if (plane < nr) return false;
        long apart = (long)g.Batch * ((plane + nr - 1) / nr), together = ((long)g.Batch * plane + nr - 1) / nr;
        return together <= (1 - SideBySideMinSaving) * apart && together >= 2 * Parallelism.ThreadsHere;
    }

    /// <summary>
    /// All the images' 1x1 products as one, the images' pixels side by side as its columns; the input's images lie
    /// <paramref name="inputImageStride"/> floats apart, and a <paramref name="prologue"/> transforms its channels as they are packed.
    /// </summary>
    private static void ForwardPointwiseSideBySide(in Conv2dGeometry g, float* input, long inputImageStride, float* weight, float* bias, float* output,
        ActivationKind activation, float* residual, GemmPrologue prologue = default)
    {
        int plane = g.InHeight * g.InWidth, columns = g.Batch * plane;
        long imageOut = (long)g.OutChannels * plane;
        using var packedWeight = PackWeightsOnce(false, g.OutChannels, columns, g.InChannels, weight, g.InChannels);
        ((ManagedGemm)GemmEngine.Provider).SgemmImages(g.OutChannels, columns, g.InChannels, weight, g.InChannels, input, plane, output, plane,
            new ImageColumns(plane, inputImageStride, imageOut), new GemmEpilogue(bias, residual, plane, activation), packedWeight, prologue: prologue);
    }

    /// <summary>
    /// Whether <see cref="ForwardPointwiseNormalized"/> and <see cref="ForwardPointwiseChannelScaled"/> compute
    /// <paramref name="g"/> here: an ungrouped 1x1, stride-1, unpadded convolution on a GEMM that takes a
    /// <see cref="GemmPrologue"/>.
    /// </summary>
    internal static bool AppliesPointwisePrologue(in Conv2dGeometry g) =>
        IsPointwise(g) && g.Groups == 1 && GemmEngine.AppliesPrologue(g.OutChannels, g.InHeight * g.InWidth, g.InChannels);

    /// <summary>
    /// output = activation(conv1x1(max((input - mean[c]) * scale[c] + shift[c], 0), weight) + bias): a 1x1 convolution of
    /// an inference batch norm and ReLU of its input, without the normalised input ever being written: the GEMM
    /// normalises each channel as it packs it (<see cref="GemmPrologue"/>), with the values of
    /// <see cref="Normalization.BatchNormKernel.ForwardInferenceRelu"/>. The input's images lie
    /// <paramref name="inputImageStride"/> floats apart, so it may be the first g.InChannels channels of a larger
    /// tensor (a DenseNet block's growing features).
    /// </summary>
    /// <param name="g">An ungrouped 1x1, stride-1, unpadded geometry where <see cref="AppliesPointwisePrologue"/> holds.</param>
    /// <param name="input">g.Batch images of [InChannels, H, W], <paramref name="inputImageStride"/> floats apart.</param>
    /// <param name="inputImageStride">Floats from one image's input to the next's: at least InChannels * H * W.</param>
    /// <param name="mean">[InChannels] subtracted from each input channel.</param>
    /// <param name="scale">[InChannels] multiplying it.</param>
    /// <param name="shift">[InChannels] added after.</param>
    /// <param name="weight">[OutChannels, InChannels, 1, 1].</param>
    /// <param name="bias">[OutChannels], or null.</param>
    /// <param name="output">[Batch, OutChannels, H, W].</param>
    /// <param name="activation">Applied last.</param>
    /// <exception cref="ArgumentException">The geometry is invalid, or the image stride too short.</exception>
    /// <exception cref="ArgumentNullException">A required pointer is null.</exception>
    /// <exception cref="InvalidOperationException"><see cref="AppliesPointwisePrologue"/> does not hold.</exception>
    internal static void ForwardPointwiseNormalized(in Conv2dGeometry g, float* input, long inputImageStride, float* mean, float* scale, float* shift,
        float* weight, float* bias, float* output, ActivationKind activation)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(scale);
        ArgumentNullException.ThrowIfNull(shift);
        ForwardPointwiseWithPrologue(g, input, inputImageStride, GemmPrologue.BatchNormRelu(mean, scale, shift), weight, bias, output, activation, null);
    }

    /// <summary>
    /// output = activation(conv1x1(input * scales[n, c], weight) + bias + residual): a 1x1 convolution of an input scaled
    /// per image and channel (a squeeze-and-excitation gate), without the scaled input ever being written: the GEMM
    /// scales each channel as it packs it (<see cref="GemmPrologue.ChannelScale"/>), to the values of
    /// <c>Ops.ChannelScale</c>.
    /// </summary>
    /// <param name="g">An ungrouped 1x1, stride-1, unpadded geometry where <see cref="AppliesPointwisePrologue"/> holds.</param>
    /// <param name="input">[Batch, InChannels, H, W].</param>
    /// <param name="scales">[Batch, InChannels]: image n's channel c is multiplied by scales[n * InChannels + c].</param>
    /// <param name="weight">[OutChannels, InChannels, 1, 1].</param>
    /// <param name="bias">[OutChannels], or null.</param>
    /// <param name="output">[Batch, OutChannels, H, W].</param>
    /// <param name="activation">Applied last.</param>
    /// <param name="residual">Shaped as <paramref name="output"/> and added before the activation, or null.</param>
    /// <exception cref="ArgumentException">The geometry is invalid.</exception>
    /// <exception cref="ArgumentNullException">A required pointer is null.</exception>
    /// <exception cref="InvalidOperationException"><see cref="AppliesPointwisePrologue"/> does not hold.</exception>
    internal static void ForwardPointwiseChannelScaled(in Conv2dGeometry g, float* input, float* scales, float* weight, float* bias, float* output,
        ActivationKind activation, float* residual)
    {
        ArgumentNullException.ThrowIfNull(scales);
        ForwardPointwiseWithPrologue(g, input, (long)g.InChannels * g.InHeight * g.InWidth, GemmPrologue.ChannelScale(scales, g.InChannels),
            weight, bias, output, activation, residual);
    }

    /// <summary>The 1x1 products with B's rows transformed as they are packed: side by side where that pays, else image by image.</summary>
    private static void ForwardPointwiseWithPrologue(in Conv2dGeometry g, float* input, long inputImageStride, GemmPrologue prologue,
        float* weight, float* bias, float* output, ActivationKind activation, float* residual)
    {
        g.Validate();
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(output);
        if (inputImageStride < (long)g.InChannels * g.InHeight * g.InWidth)
            throw new ArgumentException($"Input images {inputImageStride} floats apart overlap: each holds {(long)g.InChannels * g.InHeight * g.InWidth}.", nameof(inputImageStride));
        if (!AppliesPointwisePrologue(g))
            throw new InvalidOperationException($"The convolution {g} cannot transform its input as the GEMM packs it here.");
        if (RunsImagesSideBySide(g)) ForwardPointwiseSideBySide(g, input, inputImageStride, weight, bias, output, activation, residual, prologue);
        else ForwardPointwise(g, input, inputImageStride, weight, bias, output, activation, residual, prologue);
    }

    /// <summary>
    /// The input gradient of a 1x1 convolution as one product over all the images side by side:
    /// gradInput (Cin x pixels) = weight^T (Cin x Cout) gradOutput (Cout x pixels), written where
    /// <paramref name="overwrite"/>, otherwise added.
    /// </summary>
    private static void BackwardDataPointwiseSideBySide(in Conv2dGeometry g, float* gradOutput, float* weight, float* gradInput, bool overwrite)
    {
        int plane = g.InHeight * g.InWidth, columns = g.Batch * plane;
        long imageIn = (long)g.InChannels * plane, imageOut = (long)g.OutChannels * plane;
        using var packedWeight = PackWeightsOnce(true, g.InChannels, columns, g.OutChannels, weight, g.InChannels);
        ((ManagedGemm)GemmEngine.Provider).SgemmImages(g.InChannels, columns, g.OutChannels, weight, g.InChannels, gradOutput, plane,
            gradInput, plane, new ImageColumns(plane, imageOut, imageIn), default, packedWeight, transposeA: true, accumulate: !overwrite);
    }

    /// <summary>
    /// The 1x1 products image by image; the input's images lie <paramref name="inputImageStride"/> floats apart, and a
    /// <paramref name="prologue"/> (ungrouped only) transforms its channels as they are packed.
    /// </summary>
    private static void ForwardPointwise(in Conv2dGeometry g, float* input, long inputImageStride, float* weight, float* bias, float* output,
        ActivationKind activation, float* residual, GemmPrologue prologue = default)
    {
        int cinG = g.InChannelsPerGroup, coutG = g.OutChannelsPerGroup, plane = g.InHeight * g.InWidth;
        if (GivesWholeImagesToThreads(g, perGemm: 1))
        {
            long imageOut = (long)g.OutChannels * plane;
            // The weights are packed once for all the images, not once per image.
            using var packedWeight = PackWeightsOnce(false, coutG, plane, cinG, weight, cinG);
            Parallelism.ForWhole(0, g.Batch, n => GemmEngine.SgemmWithEpilogue(false, false, coutG, plane, cinG, weight, cinG,
                input + n * inputImageStride, plane, output + n * imageOut, plane,
                new GemmEpilogue(bias, residual == null ? null : residual + n * imageOut, plane, activation), packedWeight, prologue.ForImage(n)), BFloat16Scope.IsActive);
            return;
        }
        var keptWeight = g.Groups == 1 ? KeptWeightPanels(false, coutG, plane, cinG, weight, cinG) : null;
        for (int n = 0; n < g.Batch; n++)
        {
            for (int grp = 0; grp < g.Groups; grp++)
            {
                float* x = input + n * inputImageStride + (long)grp * cinG * plane;
                long offset = ((long)n * g.OutChannels + grp * coutG) * plane;
                var epilogue = new GemmEpilogue(bias == null ? null : bias + grp * coutG, residual == null ? null : residual + offset, plane, activation);
                GemmEngine.SgemmWithEpilogue(false, false, coutG, plane, cinG, weight + (long)grp * coutG * cinG, cinG, x, plane, output + offset, plane,
                    epilogue, keptWeight, prologue.ForImage(n));
            }
        }
    }

    private static void BackwardDataPointwise(in Conv2dGeometry g, float* gradOutput, float* weight, float* gradInput)
    {
        int cinG = g.InChannelsPerGroup, coutG = g.OutChannelsPerGroup, plane = g.InHeight * g.InWidth;
        if (GivesWholeImagesToThreads(g, perGemm: 1))
        {
            long imageIn = (long)g.InChannels * plane, imageOut = (long)g.OutChannels * plane;
            using var packedWeight = PackWeightsOnce(true, cinG, plane, coutG, weight, cinG);
            Parallelism.ForWhole(0, g.Batch, n => GemmEngine.Sgemm(true, false, cinG, plane, coutG, 1f, weight, cinG,
                gradOutput + n * imageOut, plane, 1f, gradInput + n * imageIn, plane, packedWeight), BFloat16Scope.IsActive);
            return;
        }
        for (int n = 0; n < g.Batch; n++)
        {
            for (int grp = 0; grp < g.Groups; grp++)
            {
                float* dy = gradOutput + ((long)n * g.OutChannels + grp * coutG) * plane;
                float* dx = gradInput + ((long)n * g.InChannels + grp * cinG) * plane;
                GemmEngine.Sgemm(true, false, cinG, plane, coutG, 1f, weight + (long)grp * coutG * cinG, cinG, dy, plane, 1f, dx, plane);
            }
        }
    }

    private static void BackwardWeightPointwise(in Conv2dGeometry g, float* input, float* gradOutput, float* gradWeight)
    {
        int cinG = g.InChannelsPerGroup, coutG = g.OutChannelsPerGroup, plane = g.InHeight * g.InWidth;
        for (int n = 0; n < g.Batch; n++)
        {
            for (int grp = 0; grp < g.Groups; grp++)
            {
                float* x = input + ((long)n * g.InChannels + grp * cinG) * plane;
                float* dy = gradOutput + ((long)n * g.OutChannels + grp * coutG) * plane;
                GemmEngine.Sgemm(false, true, coutG, cinG, plane, 1f, dy, plane, x, plane, 1f, gradWeight + (long)grp * coutG * cinG, cinG);
            }
        }
    }
}
