namespace TransferKit.Kernels.Convolution;

/// <summary>
/// The forward convolution whose output is a stride-1 convolution's input gradient: the output gradient convolved with
/// the kernel rotated by 180 degrees and its channel axes swapped, padded by KernelSize - 1 - padding on each side, so
/// the input gradient can take whichever forward path is fastest for that geometry.
/// </summary>
internal static unsafe class TransposedConvolution
{
    /// <summary>Whether <paramref name="g"/>'s input gradient is a forward convolution: ungrouped, stride 1, dilation 1, padding below the kernel.</summary>
    public static bool Applies(in Conv2dGeometry g) =>
        g.Groups == 1 && g.StrideHeight == 1 && g.StrideWidth == 1 && g.DilationHeight == 1 && g.DilationWidth == 1
        && g.PadHeight < g.KernelHeight && g.PadWidth < g.KernelWidth;

    /// <summary>The forward geometry over the output gradient [Batch, OutChannels, OutHeight, OutWidth] that gives the input gradient.</summary>
    public static Conv2dGeometry Geometry(in Conv2dGeometry g) =>
        new(g.Batch, g.OutChannels, g.OutHeight, g.OutWidth, g.InChannels, g.KernelHeight, g.KernelWidth,
            PadHeight: g.KernelHeight - 1 - g.PadHeight, PadWidth: g.KernelWidth - 1 - g.PadWidth);

    /// <summary>rotated[ci, co, a, b] = weight[co, ci, KH - 1 - a, KW - 1 - b]; <paramref name="rotated"/> holds WeightLength floats.</summary>
    public static void RotateWeights(in Conv2dGeometry g, float* weight, float* rotated)
    {
        int cin = g.InChannels, cout = g.OutChannels, taps = g.KernelHeight * g.KernelWidth;
        Parallelism.For(0, cin, ci =>
        {
            float* target = rotated + (long)ci * cout * taps;
            for (int co = 0; co < cout; co++, target += taps)
            {
                float* source = weight + ((long)co * cin + ci) * taps;
                for (int t = 0; t < taps; t++) target[t] = source[taps - 1 - t];
            }
        }, Math.Max(1, 4096 / Math.Max(1, cout * taps)));
    }
}
