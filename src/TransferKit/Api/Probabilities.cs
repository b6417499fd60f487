using TransferKit.Autograd;
using TransferKit.Tensors;

namespace TransferKit.Api;

/// <summary>Class probabilities from logits: softmax over classes, or the sigmoid of a single logit.</summary>
internal static class Probabilities
{
    /// <summary>[N, C] softmax, or [N] sigmoid probabilities of class 1 when <paramref name="sigmoid"/>.</summary>
    public static Tensor From(Tensor logits, bool sigmoid)
    {
        if (!sigmoid) return Ops.Softmax(logits);
        var p = Tensor.Empty(logits.Shape[0]);
        var s = p.Span;
        var l = logits.ReadOnlySpan;
        for (int i = 0; i < s.Length; i++) s[i] = 1f / (1f + MathF.Exp(-l[i]));
        return p;
    }
}
