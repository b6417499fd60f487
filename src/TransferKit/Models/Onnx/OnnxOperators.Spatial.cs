using TransferKit.Autograd;
using TransferKit.Tensors;

namespace TransferKit.Models.Onnx;

internal static partial class OnnxOperators
{
    /// <summary>
    /// Conv over [N, C, H, W]. Symmetric padding goes to the convolution itself; the asymmetric remainder (CNTK's stem pads
    /// [3, 3, 2, 2], SAME_UPPER) is an explicit <see cref="Ops.Pad2d"/> in front, so the conv kernels stay unchanged.
    /// </summary>
    private static OnnxKernel CompileConv(OnnxAttributes a)
    {
        var prepare = ConvPreparation(a);
        return x =>
        {
            var input = x.Tensor(0);
            var (padded, options) = prepare(input, x.Tensor(1).Shape);
            return ReleaseAfter(padded, input, Ops.Conv2d(padded, x.Tensor(1), x.TensorOrNull(2), options));
        };
    }

    /// <summary>
    /// A Conv node's input and options for a given weight shape: the input with the asymmetric remainder of its pads added
    /// (the input itself when the pads are symmetric), and the conv options; shared with the fused convolutions.
    /// </summary>
    internal static Func<Tensor, Shape, (Tensor Padded, Conv2dOptions Options)> ConvPreparation(OnnxAttributes a)
    {
        var strides = Pair(a.Ints("strides"), "strides");
        var dilations = Pair(a.Ints("dilations"), "dilations");
        int groups = (int)a.Int("group", 1);
        string autoPad = a.String("auto_pad", "NOTSET");
        var pads = Quad(a.Ints("pads"));
        return (input, weight) =>
        {
            if (input.Rank != 4 || weight.Rank != 4) throw new NotSupportedException($"Conv on {input.Shape} with weight {weight}: only 2-D convolution is supported.");
            var p = ResolvePads(autoPad, pads, input.Shape, weight[2], weight[3], strides, dilations);
            int ph = Math.Min(p.Top, p.Bottom), pw = Math.Min(p.Left, p.Right);
            var padded = PadRemainder(input, p, ph, pw, 0f);
            return (padded, new Conv2dOptions(strides.H, strides.W, ph, pw, dilations.H, dilations.W, groups));
        };
    }

    private static OnnxKernel CompileBatchNorm(OnnxAttributes a, long opset)
    {
        if (opset < 9 && a.Int("spatial", 1) == 0)
            throw new NotSupportedException("BatchNormalization with spatial = 0 (per-element statistics) is not supported.");
        float eps = a.Float("epsilon", 1e-5f);
        // ONNX keeps momentum of the running value (running = momentum * running + (1 - momentum) * batch); PyTorch's is the complement.
        float momentum = 1f - a.Float("momentum", 0.9f);
        return x => Ops.BatchNorm(x.Tensor(0), x.Tensor(1), x.Tensor(2), x.Tensor(3), x.Tensor(4), x.Training, momentum, eps);
    }

    private static OnnxKernel CompilePool(bool max, OnnxAttributes a)
    {
        var kernel = Pair(a.Ints("kernel_shape"), "kernel_shape", required: true);
        var strides = Pair(a.Ints("strides"), "strides");
        var dilations = Pair(a.Ints("dilations"), "dilations");
        if (dilations != (1, 1)) throw new NotSupportedException("pooling with dilations is not supported.");
        bool ceil = a.Int("ceil_mode", 0) != 0;
        bool countPad = a.Int("count_include_pad", 0) != 0;
        string autoPad = a.String("auto_pad", "NOTSET");
        var pads = Quad(a.Ints("pads"));
        return x =>
        {
            var input = x.Tensor(0);
            var p = ResolvePads(autoPad, pads, input.Shape, kernel.H, kernel.W, strides, (1, 1));
            int ph = Math.Min(Math.Min(p.Top, p.Bottom), kernel.H / 2), pw = Math.Min(Math.Min(p.Left, p.Right), kernel.W / 2);
            bool asymmetric = p.Top != ph || p.Bottom != ph || p.Left != pw || p.Right != pw;
            if (!max && asymmetric && !countPad)
                throw new NotSupportedException($"AveragePool with asymmetric pads {p} and count_include_pad = 0 is not supported.");
            var padded = PadRemainder(input, p, ph, pw, max ? float.NegativeInfinity : 0f);
            var options = new Pool2dOptions(kernel.H, kernel.W, strides.H, strides.W, ph, pw, ceil, countPad);
            return ReleaseAfter(padded, input, max ? Ops.MaxPool2d(padded, options) : Ops.AvgPool2d(padded, options));
        };
    }

    private static OnnxKernel CompilePad(OnnxAttributes a, long opset)
    {
        string mode = a.String("mode", "constant");
        if (mode != "constant") throw new NotSupportedException($"Pad mode '{mode}' is not supported (only constant).");
        return x =>
        {
            var input = x.Tensor(0);
            long[] pads = opset >= 11 ? x.Constant(1).AsIntegers() : a.Ints("pads").ToArray();
            float value = opset >= 11 ? (x.ConstantOrNull(2) is { } v ? (float)v.At(0) : 0f) : a.Float("value", 0f);
            if (input.Rank != 4 || pads.Length != 8 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0)
                throw new NotSupportedException($"Pad [{string.Join(", ", pads)}] of {input.Shape}: only padding of H and W of a 4-D tensor is supported.");
            return Ops.Pad2d(input, (int)pads[2], (int)pads[3], (int)pads[6], (int)pads[7], value);
        };
    }

    private readonly record struct Pads(int Top, int Left, int Bottom, int Right);

    private static Tensor PadRemainder(Tensor input, Pads p, int ph, int pw, float value) =>
        p.Top == ph && p.Bottom == ph && p.Left == pw && p.Right == pw
            ? input
            : Ops.Pad2d(input, p.Top - ph, p.Left - pw, p.Bottom - ph, p.Right - pw, value);

    private static Pads ResolvePads(string autoPad, Pads pads, Shape input, int kh, int kw, (int H, int W) s, (int H, int W) d)
    {
        switch (autoPad)
        {
            case "NOTSET" or "": return pads;
            case "VALID": return default;
            case "SAME_UPPER" or "SAME_LOWER":
                bool upper = autoPad == "SAME_UPPER";
                (int begin, int end) Same(int size, int k, int stride, int dilation)
                {
                    int total = Math.Max(0, ((size + stride - 1) / stride - 1) * stride + (k - 1) * dilation + 1 - size);
                    return upper ? (total / 2, total - total / 2) : (total - total / 2, total / 2);
                }
                var (t, b) = Same(input[2], kh, s.H, d.H);
                var (l, r) = Same(input[3], kw, s.W, d.W);
                return new Pads(t, l, b, r);
            default: throw new NotSupportedException($"auto_pad '{autoPad}' is not supported.");
        }
    }

    private static (int H, int W) Pair(IReadOnlyList<long> values, string name, bool required = false)
    {
        if (values.Count == 0 && !required) return (1, 1);
        if (values.Count != 2) throw new NotSupportedException($"{name} [{string.Join(", ", values)}]: only 2-D operators are supported.");
        return ((int)values[0], (int)values[1]);
    }

    private static Pads Quad(IReadOnlyList<long> pads)
    {
        if (pads.Count == 0) return default;
        if (pads.Count != 4) throw new NotSupportedException($"pads [{string.Join(", ", pads)}]: only 2-D operators are supported.");
        if (pads.Any(p => p < 0)) throw new NotSupportedException($"negative pads [{string.Join(", ", pads)}] are not supported.");
        return new Pads((int)pads[0], (int)pads[1], (int)pads[2], (int)pads[3]);
    }
}
