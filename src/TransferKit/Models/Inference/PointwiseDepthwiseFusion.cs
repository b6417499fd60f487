using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models.Inference;

/// <summary>
/// Runs an inverted residual's expanding 1x1 unit and its depthwise unit, both with their batch norms folded for this
/// call, image by image (<see cref="Ops.TryConv2dPointwiseDepthwise"/>): on 112x112 planes the expanded tensor (77 MB at
/// batch 16 in MobileNetV2 and EfficientNet-B0) then stays in cache between the two instead of going to memory and back.
/// </summary>
internal static class PointwiseDepthwiseFusion
{
    /// <summary>
    /// Units [0, <paramref name="end"/>) of an inverted residual's branch on <paramref name="input"/>: the first two as one
    /// pass where they are the expansion and the depthwise unit and <see cref="TryForward"/> applies, the rest one by one.
    /// The input is kept; with an empty range it comes back as it is.
    /// </summary>
    public static Tensor ForwardBranch(Sequential units, int end, Tensor input)
    {
        if (end >= 2 && units[0] is Conv2dNormActivation expand && units[1] is Conv2dNormActivation depthwise
            && expand.Conv.Options.Groups == 1 && TryForward(expand, depthwise, input) is { } fused)
            return units.ForwardRange(2, end, fused, releasesInput: true);
        return units.ForwardRange(0, end, input, releasesInput: false);
    }

    /// <summary>The two units' output, or null where the fusion does not apply and nothing ran.</summary>
    public static Tensor? TryForward(Conv2dNormActivation expand, Conv2dNormActivation depthwise, Tensor input)
    {
        if (!expand.Norm.IsFoldedNow || !depthwise.Norm.IsFoldedNow) return null;
        if (expand.Conv.FoldedParameters?.Invoke() is not var (pointwiseWeight, pointwiseBias, prepared)) return null;
        if (depthwise.Conv.FoldedParameters?.Invoke() is not var (depthwiseWeight, depthwiseBias, _)) return null;
        using var scope = prepared.Use(pointwiseWeight);
        return Ops.TryConv2dPointwiseDepthwise(input, pointwiseWeight, pointwiseBias, expand.Conv.Options, expand.Activation?.Kind ?? ActivationKind.Identity,
            depthwiseWeight, depthwiseBias, depthwise.Conv.Options, depthwise.Activation?.Kind ?? ActivationKind.Identity);
    }
}
