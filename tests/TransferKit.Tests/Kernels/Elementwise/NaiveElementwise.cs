namespace TransferKit.Tests.Kernels.Elementwise;

/// <summary>Reference twins of the element-wise, bias, channel-scale and concat kernels: plain loops, sums in double.</summary>
internal static class NaiveElementwise
{
    public static float[] Add(float[] a, float[] b) => a.Select((v, i) => v + b[i]).ToArray();

    public static float[] Scale(float[] x, float alpha) => x.Select(v => v * alpha).ToArray();

    public static void AddRowBias(int rows, int cols, float[] bias, float[] y)
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) y[r * cols + c] += bias[c];
    }

    public static void SumRowsInto(int rows, int cols, float[] gradY, float[] gradBias)
    {
        for (int c = 0; c < cols; c++)
        {
            double sum = 0;
            for (int r = 0; r < rows; r++) sum += gradY[r * cols + c];
            gradBias[c] = (float)(gradBias[c] + sum);
        }
    }

    public static void AddChannelBias(int batch, int channels, int spatial, float[] bias, float[] y)
    {
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < channels; c++)
                for (int s = 0; s < spatial; s++) y[(n * channels + c) * spatial + s] += bias[c];
    }

    public static void SumChannelsInto(int batch, int channels, int spatial, float[] gradY, float[] gradBias)
    {
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int n = 0; n < batch; n++)
                for (int s = 0; s < spatial; s++) sum += gradY[(n * channels + c) * spatial + s];
            gradBias[c] = (float)(gradBias[c] + sum);
        }
    }

    public static void ChannelScaleForward(int batch, int channels, int spatial, float[] x, float[] scale, float[] y)
    {
        for (int p = 0; p < batch * channels; p++)
            for (int s = 0; s < spatial; s++) y[p * spatial + s] = x[p * spatial + s] * scale[p];
    }

    public static void ChannelScaleBackward(int batch, int channels, int spatial, float[] x, float[] scale, float[] gradY, float[]? gradX, float[]? gradScale)
    {
        for (int p = 0; p < batch * channels; p++)
        {
            double dot = 0;
            for (int s = 0; s < spatial; s++)
            {
                int i = p * spatial + s;
                if (gradX is not null) gradX[i] += gradY[i] * scale[p];
                dot += (double)gradY[i] * x[i];
            }
            if (gradScale is not null) gradScale[p] = (float)(gradScale[p] + dot);
        }
    }

    /// <summary>Output [N, sum channels, spatial] element by element from its input.</summary>
    public static float[] Concat(int batch, int[] channels, int spatial, float[][] inputs)
    {
        int total = channels.Sum();
        var y = new float[batch * total * spatial];
        for (int n = 0; n < batch; n++)
        {
            int offset = 0;
            for (int i = 0; i < channels.Length; i++)
            {
                for (int c = 0; c < channels[i]; c++)
                    for (int s = 0; s < spatial; s++)
                        y[(n * total + offset + c) * spatial + s] = inputs[i][(n * channels[i] + c) * spatial + s];
                offset += channels[i];
            }
        }
        return y;
    }
}
