using TransferKit.Kernels.Activations;
using TransferKit.Models.Inception;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models.Inference;

/// <summary>
/// Runs a unit's Conv2d, its batch norm folded into it, an activation and a max pool (the ResNet and DenseNet stems,
/// and Inception-v3's <see cref="BasicConv2d"/> before its first pool) as one pass that pools the convolution's output
/// tile by tile (<see cref="Conv2d.TryForwardActivatedMaxPool"/>): the ResNet stem's 112x112 output, 51 MB at batch
/// 16, is then neither written whole nor read back by the pool.
/// </summary>
internal static class ConvolutionPoolFusion
{
    /// <summary>
    /// Runs modules[<paramref name="start"/>..] as one pass where they are a Conv2d, optionally a batch norm folded into
    /// it for this call, optionally an activation, and a MaxPool2d, or a <see cref="BasicConv2d"/> folded for this call
    /// and a MaxPool2d, and the fused kernel takes the convolution.
    /// </summary>
    /// <returns>How many modules ran (0 where the fusion does not apply and nothing ran).</returns>
    public static int TryForward(IReadOnlyList<Module> modules, int start, Tensor input, out Tensor? output)
    {
        output = null;
        if (modules[start] is BasicConv2d basic)
        {
            if (!basic.Bn.IsFoldedNow || start + 1 >= modules.Count || modules[start + 1] is not MaxPool2d after) return 0;
            output = basic.Conv.TryForwardActivatedMaxPool(input, ActivationKind.ReLU, after.Options);
            return output is null ? 0 : 2;
        }
        if (modules[start] is not Conv2d conv) return 0;
        int next = start + 1;
        if (next < modules.Count && modules[next] is BatchNorm norm)
        {
            if (!norm.IsFoldedNow) return 0;
            next++;
        }
        var activation = ActivationKind.Identity;
        if (next < modules.Count && modules[next] is Activation act)
        {
            activation = act.Kind;
            next++;
        }
        if (next >= modules.Count || modules[next] is not MaxPool2d pool) return 0;
        output = conv.TryForwardActivatedMaxPool(input, activation, pool.Options);
        return output is null ? 0 : next + 1 - start;
    }
}
