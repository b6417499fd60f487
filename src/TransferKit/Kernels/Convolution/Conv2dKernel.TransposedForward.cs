namespace TransferKit.Kernels.Convolution;

/// <summary>The input gradient of stride-1 convolutions as a forward convolution (<see cref="TransposedConvolution"/>).</summary>
public static unsafe partial class Conv2dKernel
{
    /// <summary>
    /// Whether input gradients that <see cref="TransposedConvolution"/> turns into forward convolutions run as those
    /// (where Winograd does not take them already) instead of a product into a column matrix and its scatter-add;
    /// benchmarks and tests turn it off to compare.
    /// </summary>
    internal static bool BackwardDataAsForward { get; set; } = true;

    /// <summary>
    /// Whether <see cref="BackwardData(in Conv2dGeometry, float*, float*, float*, bool)"/> written over the input
    /// gradient runs <paramref name="g"/> as the forward convolution of the output gradient: stride 1 and ungrouped,
    /// kernels larger than 1x1 (a 1x1 product needs no column matrix).
    /// </summary>
    internal static bool RunsBackwardDataForward(in Conv2dGeometry g) =>
        BackwardDataAsForward && TransposedConvolution.Applies(g) && g.KernelHeight * g.KernelWidth > 1;

    /// <summary>gradInput = the forward convolution of gradOutput with the rotated weights, on the path the forward pass picks for it.</summary>
    private static void BackwardDataThroughForward(in Conv2dGeometry g, float* gradOutput, float* weight, float* gradInput)
    {
        using var rotated = new ScratchBuffer(g.WeightLength);
        TransposedConvolution.RotateWeights(g, weight, rotated.Pointer);
        Forward(TransposedConvolution.Geometry(g), gradOutput, rotated.Pointer, null, gradInput);
    }
}
