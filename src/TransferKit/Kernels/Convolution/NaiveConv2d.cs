namespace TransferKit.Kernels.Convolution;

/// <summary>
/// The reference 2-D convolution: the definition written as plain nested loops with double accumulation, one output
/// element at a time. It is the test oracle for <see cref="Conv2dKernel"/>, which has the same contract, and is far
/// too slow for real layers.
/// </summary>
public static unsafe class NaiveConv2d
{
    /// <summary>output[n, co, oh, ow] = bias[co] + sum over the group's input channels and the taps of input * weight (overwrites).</summary>
    /// <param name="g">The geometry; validated first.</param>
    /// <param name="input">[Batch, InChannels, InHeight, InWidth].</param>
    /// <param name="weight">[OutChannels, InChannels / Groups, KernelHeight, KernelWidth].</param>
    /// <param name="bias">[OutChannels], or null.</param>
    /// <param name="output">[Batch, OutChannels, OutHeight, OutWidth].</param>
    /// <exception cref="ArgumentException">The geometry is invalid.</exception>
    public static void Forward(in Conv2dGeometry g, float* input, float* weight, float* bias, float* output)
    {
        g.Validate();
        int cinG = g.InChannelsPerGroup, coutG = g.OutChannelsPerGroup, oh = g.OutHeight, ow = g.OutWidth;
        for (int n = 0; n < g.Batch; n++)
        for (int co = 0; co < g.OutChannels; co++)
        for (int y = 0; y < oh; y++)
        for (int x = 0; x < ow; x++)
        {
            double sum = bias == null ? 0 : bias[co];
            for (int c = 0; c < cinG; c++)
            for (int kh = 0; kh < g.KernelHeight; kh++)
            for (int kw = 0; kw < g.KernelWidth; kw++)
            {
                int ih = y * g.StrideHeight - g.PadHeight + kh * g.DilationHeight;
                int iw = x * g.StrideWidth - g.PadWidth + kw * g.DilationWidth;
                if (ih < 0 || ih >= g.InHeight || iw < 0 || iw >= g.InWidth) continue;
                int ci = co / coutG * cinG + c;
                sum += (double)input[InputIndex(g, n, ci, ih, iw)] * weight[WeightIndex(g, co, c, kh, kw)];
            }
            output[OutputIndex(g, n, co, y, x)] = (float)sum;
        }
    }

    /// <summary>gradInput[n, ci, ih, iw] += sum of gradOutput * weight over every (output pixel, tap) that read that input pixel.</summary>
    /// <param name="g">The geometry; validated first.</param>
    /// <param name="gradOutput">[Batch, OutChannels, OutHeight, OutWidth].</param>
    /// <param name="weight">[OutChannels, InChannels / Groups, KernelHeight, KernelWidth].</param>
    /// <param name="gradInput">[Batch, InChannels, InHeight, InWidth]; added to.</param>
    /// <exception cref="ArgumentException">The geometry is invalid.</exception>
    public static void BackwardData(in Conv2dGeometry g, float* gradOutput, float* weight, float* gradInput)
    {
        g.Validate();
        int cinG = g.InChannelsPerGroup, coutG = g.OutChannelsPerGroup;
        for (int n = 0; n < g.Batch; n++)
        for (int ci = 0; ci < g.InChannels; ci++)
        for (int ih = 0; ih < g.InHeight; ih++)
        for (int iw = 0; iw < g.InWidth; iw++)
        {
            double sum = 0;
            int grp = ci / cinG;
            for (int co = grp * coutG; co < (grp + 1) * coutG; co++)
            for (int kh = 0; kh < g.KernelHeight; kh++)
            for (int kw = 0; kw < g.KernelWidth; kw++)
            {
                // ih = oh * stride - pad + kh * dilation, solved for oh; the tap reads this pixel only when it divides.
                int th = ih + g.PadHeight - kh * g.DilationHeight, tw = iw + g.PadWidth - kw * g.DilationWidth;
                if (th < 0 || tw < 0 || th % g.StrideHeight != 0 || tw % g.StrideWidth != 0) continue;
                int y = th / g.StrideHeight, x = tw / g.StrideWidth;
                if (y >= g.OutHeight || x >= g.OutWidth) continue;
                sum += (double)gradOutput[OutputIndex(g, n, co, y, x)] * weight[WeightIndex(g, co, ci - grp * cinG, kh, kw)];
            }
            gradInput[InputIndex(g, n, ci, ih, iw)] += (float)sum;
        }
    }

    /// <summary>
    /// gradWeight[co, c, kh, kw] += sum over images and output pixels of gradOutput * the input pixel that tap read;
    /// gradBias[co] += sum of gradOutput over images and pixels (skipped when null).
    /// </summary>
    /// <param name="g">The geometry; validated first.</param>
    /// <param name="input">[Batch, InChannels, InHeight, InWidth].</param>
    /// <param name="gradOutput">[Batch, OutChannels, OutHeight, OutWidth].</param>
    /// <param name="gradWeight">[OutChannels, InChannels / Groups, KernelHeight, KernelWidth]; added to.</param>
    /// <param name="gradBias">[OutChannels]; added to. Null to skip.</param>
    /// <exception cref="ArgumentException">The geometry is invalid.</exception>
    public static void BackwardWeight(in Conv2dGeometry g, float* input, float* gradOutput, float* gradWeight, float* gradBias)
    {
        g.Validate();
        int cinG = g.InChannelsPerGroup, coutG = g.OutChannelsPerGroup, oh = g.OutHeight, ow = g.OutWidth;
        for (int co = 0; co < g.OutChannels; co++)
        {
            for (int c = 0; c < cinG; c++)
            for (int kh = 0; kh < g.KernelHeight; kh++)
            for (int kw = 0; kw < g.KernelWidth; kw++)
            {
                double sum = 0;
                int ci = co / coutG * cinG + c;
                for (int n = 0; n < g.Batch; n++)
                for (int y = 0; y < oh; y++)
                for (int x = 0; x < ow; x++)
                {
                    int ih = y * g.StrideHeight - g.PadHeight + kh * g.DilationHeight;
                    int iw = x * g.StrideWidth - g.PadWidth + kw * g.DilationWidth;
                    if (ih < 0 || ih >= g.InHeight || iw < 0 || iw >= g.InWidth) continue;
                    sum += (double)input[InputIndex(g, n, ci, ih, iw)] * gradOutput[OutputIndex(g, n, co, y, x)];
                }
                gradWeight[WeightIndex(g, co, c, kh, kw)] += (float)sum;
            }
            if (gradBias == null) continue;
            double biasSum = 0;
            for (int n = 0; n < g.Batch; n++)
            for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++)
                biasSum += gradOutput[OutputIndex(g, n, co, y, x)];
            gradBias[co] += (float)biasSum;
        }
    }

    private static long InputIndex(in Conv2dGeometry g, int n, int c, int h, int w) =>
        (((long)n * g.InChannels + c) * g.InHeight + h) * g.InWidth + w;

    private static long OutputIndex(in Conv2dGeometry g, int n, int c, int h, int w) =>
        (((long)n * g.OutChannels + c) * g.OutHeight + h) * g.OutWidth + w;

    private static long WeightIndex(in Conv2dGeometry g, int co, int c, int kh, int kw) =>
        (((long)co * g.InChannelsPerGroup + c) * g.KernelHeight + kh) * g.KernelWidth + kw;
}
