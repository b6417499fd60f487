using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Kernels.Convolution;

/// <summary>An inverted residual's expanding 1x1 convolution and its depthwise convolution run image by image.</summary>
public static unsafe partial class Conv2dKernel
{
    /// <summary>Whether <see cref="FusesPointwiseDepthwise"/> may hold at all; benchmarks and tests turn it off to compare.</summary>
    internal static bool PointwiseDepthwiseImageByImage { get; set; } = true;

    /// <summary>
    /// Floats of one image's expanded tensor from which the pair runs image by image: MobileNetV2's and EfficientNet-B0's
    /// 16-&gt;96 expansion on 112x112 (1.2 M floats, 4.8 MB) ran 1.24x so at batch 16, and the 1.8 MB of the 56x56 blocks
    /// gained nothing (<c>expand-depthwise</c>).
    /// </summary>
    internal const long PointwiseDepthwiseMinFloats = 1L << 20;

    /// <summary>
    /// Whether <see cref="ForwardPointwiseDepthwise"/> runs the 1x1 convolution <paramref name="pointwise"/> and the
    /// depthwise <paramref name="depthwise"/> on its output: ungrouped 1x1, stride 1, unpadded; depthwise with one output
    /// channel per input channel on the same plane; an expanded image of at least <see cref="PointwiseDepthwiseMinFloats"/>
    /// floats; and images that share out whole among the threads.
    /// </summary>
    internal static bool FusesPointwiseDepthwise(in Conv2dGeometry pointwise, in Conv2dGeometry depthwise) =>
        PointwiseDepthwiseImageByImage && IsPointwise(pointwise) && pointwise.Groups == 1
        && IsDepthwise(depthwise) && depthwise.OutChannels == depthwise.InChannels && depthwise.InChannels == pointwise.OutChannels
        && depthwise.Batch == pointwise.Batch && depthwise.InHeight == pointwise.OutHeight && depthwise.InWidth == pointwise.OutWidth
        && (long)pointwise.OutChannels * pointwise.OutHeight * pointwise.OutWidth >= PointwiseDepthwiseMinFloats
        && Parallelism.SharesOutWhole(pointwise.Batch);

    /// <summary>
    /// output = activation2(depthwise(activation1(conv1x1(input) + bias1)) + bias2), image by image: each thread expands
    /// one image into its own buffer and runs the depthwise convolution on it while it is still in cache, where the two
    /// over the whole batch wrote the expanded tensor to memory and read it back. The same values as the two
    /// <see cref="ForwardFused"/> calls, bit for bit.
    /// </summary>
    /// <param name="pointwise">The 1x1 convolution; <see cref="FusesPointwiseDepthwise"/> must hold.</param>
    /// <param name="depthwise">The depthwise convolution on its output.</param>
    /// <param name="input">[Batch, InChannels, H, W] of the 1x1 convolution.</param>
    /// <param name="pointwiseWeight">[Hidden, InChannels, 1, 1].</param>
    /// <param name="pointwiseBias">[Hidden], or null.</param>
    /// <param name="pointwiseActivation">Applied to the 1x1 convolution's output.</param>
    /// <param name="depthwiseWeight">[Hidden, 1, KH, KW].</param>
    /// <param name="depthwiseBias">[Hidden], or null.</param>
    /// <param name="depthwiseActivation">Applied last.</param>
    /// <param name="output">[Batch, Hidden, OH, OW].</param>
    /// <exception cref="ArgumentException">A geometry is invalid.</exception>
    /// <exception cref="ArgumentNullException">A required pointer is null.</exception>
    /// <exception cref="InvalidOperationException"><see cref="FusesPointwiseDepthwise"/> does not hold.</exception>
    internal static void ForwardPointwiseDepthwise(in Conv2dGeometry pointwise, in Conv2dGeometry depthwise, float* input,
        float* pointwiseWeight, float* pointwiseBias, ActivationKind pointwiseActivation,
        float* depthwiseWeight, float* depthwiseBias, ActivationKind depthwiseActivation, float* output)
    {
        pointwise.Validate();
        depthwise.Validate();
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(pointwiseWeight);
        ArgumentNullException.ThrowIfNull(depthwiseWeight);
        ArgumentNullException.ThrowIfNull(output);
        if (!FusesPointwiseDepthwise(pointwise, depthwise))
            throw new InvalidOperationException($"The convolutions {pointwise} and {depthwise} do not run image by image.");
        int plane = pointwise.InHeight * pointwise.InWidth, hidden = pointwise.OutChannels, cin = pointwise.InChannels;
        long imageIn = (long)cin * plane, imageHidden = (long)hidden * plane, imageOut = (long)hidden * depthwise.OutHeight * depthwise.OutWidth;
        var one = depthwise with { Batch = 1 };
        // Packed once here, where the caller's kept weights are bound, for all the images.
        using var packedWeight = PackWeightsOnce(false, hidden, plane, cin, pointwiseWeight, cin);
        Parallelism.ForWhole(0, pointwise.Batch, n =>
        {
            using var expanded = new ScratchBuffer(checked((int)imageHidden));
            GemmEngine.SgemmWithEpilogue(false, false, hidden, plane, cin, pointwiseWeight, cin, input + n * imageIn, plane, expanded.Pointer, plane,
                new GemmEpilogue(pointwiseBias, null, plane, pointwiseActivation), packedWeight);
            DepthwiseConv2d.Forward(one, expanded.Pointer, depthwiseWeight, depthwiseBias, output + n * imageOut, depthwiseActivation, null);
        }, BFloat16Scope.IsActive);
    }
}
