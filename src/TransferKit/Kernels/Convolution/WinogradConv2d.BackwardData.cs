using System.Numerics.Tensors;

namespace TransferKit.Kernels.Convolution;

internal static unsafe partial class WinogradConv2d
{
    /// <summary>Whether <see cref="BackwardData"/> computes <paramref name="g"/>: a geometry <see cref="Forward"/> takes, padded at most 2.</summary>
    internal static bool SupportsBackwardData(in Conv2dGeometry g) => Supports(g) && g.PadHeight <= 2 && g.PadWidth <= 2;

    /// <summary>Adds the gradient of the loss with respect to the input to <paramref name="gradInput"/>.</summary>
    /// <param name="g">The forward geometry: Groups 1, 3x3 kernel, stride 1, dilation 1, padding at most 2.</param>
    /// <param name="gradOutput">[Batch, OutChannels, OutHeight, OutWidth].</param>
    /// <param name="weight">[OutChannels, InChannels, 3, 3].</param>
    /// <param name="gradInput">[Batch, InChannels, InHeight, InWidth]; the gradient is added to its contents.</param>
    /// <exception cref="ArgumentException">The geometry is invalid or not one this kernel computes.</exception>
    /// <exception cref="ArgumentNullException">A pointer is null.</exception>
    /// <param name="overwrite">Write the gradient into <paramref name="gradInput"/>, ignoring its contents, instead of adding.</param>
    public static void BackwardData(in Conv2dGeometry g, float* gradOutput, float* weight, float* gradInput, bool overwrite = false)
    {
        g.Validate();
        if (!SupportsBackwardData(g))
            throw new ArgumentException($"Winograd backward-data needs Groups 1, a 3x3 kernel, stride 1, dilation 1 and padding at most 2; got {g}.", nameof(g));
        ArgumentNullException.ThrowIfNull(gradOutput);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(gradInput);

        // The input gradient is the forward convolution of the output gradient with the rotated kernel, padded by 2 - padding.
        using var rotated = new ScratchBuffer(g.WeightLength);
        float* r = rotated.Pointer;
        TransposedConvolution.RotateWeights(g, weight, r);
        var transposed = TransposedConvolution.Geometry(g);
        if (overwrite)
        {
            Forward(transposed, gradOutput, r, null, gradInput);
            return;
        }
        using var gradient = new ScratchBuffer(checked(transposed.OutputLength));
        Forward(transposed, gradOutput, r, null, gradient.Pointer);
        var sum = new Span<float>(gradInput, g.InputLength);
        TensorPrimitives.Add(sum, new ReadOnlySpan<float>(gradient.Pointer, g.InputLength), sum);
    }
}
