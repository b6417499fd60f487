using TransferKit.Tensors;

namespace TransferKit.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Pads the two spatial dimensions of [N, C, H, W] with a constant, each side by its own amount: asymmetric padding
    /// (ONNX <c>pads</c> such as [3, 3, 2, 2], TensorFlow's SAME) placed in front of a convolution or pool that then runs
    /// unpadded. Use <see cref="float.NegativeInfinity"/> in front of a max pool so padded cells never win. Backward crops.
    /// </summary>
    /// <param name="input">[N, C, H, W].</param>
    /// <param name="top">Rows added above (non-negative).</param>
    /// <param name="left">Columns added on the left.</param>
    /// <param name="bottom">Rows added below.</param>
    /// <param name="right">Columns added on the right.</param>
    /// <param name="value">The fill value.</param>
    /// <returns>[N, C, H + top + bottom, W + left + right].</returns>
    /// <exception cref="ArgumentOutOfRangeException">A padding is negative.</exception>
    public static unsafe Tensor Pad2d(Tensor input, int top, int left, int bottom, int right, float value = 0f)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireRank(input, 4, "Pad2d", "input");
        if (top < 0 || left < 0 || bottom < 0 || right < 0)
            throw new ArgumentOutOfRangeException(nameof(top), $"Pad2d: paddings must be non-negative, got top {top}, left {left}, bottom {bottom}, right {right}.");
        var s = input.Shape;
        int planes = s[0] * s[1], h = s[2], w = s[3], oh = h + top + bottom, ow = w + left + right;
        var y = Tensor.Full(new Shape(s[0], s[1], oh, ow), value);
        float* x = input.Data, o = y.Data;
        for (int p = 0; p < planes; p++)
            for (int r = 0; r < h; r++)
                new ReadOnlySpan<float>(x + ((long)p * h + r) * w, w).CopyTo(new Span<float>(o + ((long)p * oh + r + top) * ow + left, w));
        Tape.Record(y, () => new Pad2dNode(input, top, left), input);
        OpTrace.Current?.Record(TracedOpKind.Pad2d, y, new TracedPad(top, left, bottom, right, value), input);
        return y;
    }

    private sealed unsafe class Pad2dNode(Tensor input, int top, int left) : TapeNode(input)
    {
        public override string Name => "Pad2d";

        public override void Backward(Tensor gradOutput, GradientSink grads)
        {
            if (grads.For(0) is not { } gx) return;
            var s = input.Shape;
            int planes = s[0] * s[1], h = s[2], w = s[3], oh = gradOutput.Shape[2], ow = gradOutput.Shape[3];
            float* g = gradOutput.Data, d = gx.Data;
            for (int p = 0; p < planes; p++)
                for (int r = 0; r < h; r++)
                {
                    float* src = g + ((long)p * oh + r + top) * ow + left, dst = d + ((long)p * h + r) * w;
                    for (int c = 0; c < w; c++) dst[c] += src[c];
                }
        }
    }
}
