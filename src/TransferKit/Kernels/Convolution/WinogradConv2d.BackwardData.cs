using System.Numerics.Tensors;

namespace TransferKit.Kernels.Convolution;

internal static unsafe partial class WinogradConv2d
{
    /// <summary>
    /// The convolution whose forward pass is <paramref name="g"/>'s input gradient: with stride 1, the gradient of the
    /// input is the gradient of the output convolved with the kernel rotated by 180 degrees and its channel axes swapped,
    /// padded by 2 - padding, so it takes the same F(2x2, 3x3) path as the forward pass.
    /// </summary>
    internal static Conv2dGeometry Transposed(in Conv2dGeometry g) =>
        new(g.Batch, g.OutChannels, g.OutHeight, g.OutWidth, g.InChannels, 3, 3, PadHeight: 2 - g.PadHeight, PadWidth: 2 - g.PadWidth);

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

        int cin = g.InChannels, cout = g.OutChannels;
        using var rotated = new ScratchBuffer(checked(cout * cin * 9));
        float* r = rotated.Pointer;
        // rotated[ci, co, a, b] = weight[co, ci, 2 - a, 2 - b]
        for (int co = 0; co < cout; co++)
        {
            for (int ci = 0; ci < cin; ci++)
            {
                float* source = weight + (((long)co * cin) + ci) * 9;
                float* target = r + (((long)ci * cout) + co) * 9;
                for (int k = 0; k < 9; k++) target[k] = source[8 - k];
            }
        }

        var transposed = Transposed(g);
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
