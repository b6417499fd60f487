using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Pooling;

namespace TransferKit.Kernels.Convolution;

/// <summary>A convolution whose output is max-pooled tile by tile as it is computed (the ResNet and DenseNet stems).</summary>
public static unsafe partial class Conv2dKernel
{
    /// <summary>Whether <see cref="FusesMaxPool"/> may hold at all; benchmarks and tests turn it off to compare.</summary>
    internal static bool PoolsInsideConvolution { get; set; } = true;

    /// <summary>
    /// Whether <see cref="ForwardFusedMaxPool"/> computes <paramref name="g"/>: where the forward pass takes the direct
    /// kernel, whose tiles of five output channels are whole planes that can be pooled while they are still in cache
    /// (not where <see cref="Winograd4x4Conv2d"/> goes first: Inception's 32-&gt;64 stem layer ran 1.65x faster there).
    /// </summary>
    internal static bool FusesMaxPool(in Conv2dGeometry g, bool weightsKept) =>
        PoolsInsideConvolution && !IsDepthwise(g) && !UsesWinograd4x4(g, weightsKept) && UsesDirect(g, weightsKept);

    /// <summary>
    /// pooled = maxpool(activation(conv(input, weight) + bias)), without writing the convolution's full-size output:
    /// the same values as the convolution followed by <see cref="MaxPool2dKernel.ForwardValues"/>, bit for bit.
    /// </summary>
    /// <param name="g">The convolution; validated first.</param>
    /// <param name="pool">The max pool; its input must be the convolution's output [Batch, OutChannels, OutHeight, OutWidth].</param>
    /// <param name="input">[Batch, InChannels, InHeight, InWidth].</param>
    /// <param name="weight">[OutChannels, InChannels, KernelHeight, KernelWidth].</param>
    /// <param name="bias">[OutChannels], or null for no bias.</param>
    /// <param name="pooled">[Batch, OutChannels, pooled height, pooled width]; prior contents are ignored.</param>
    /// <param name="activation">Applied to the convolution before pooling.</param>
    /// <exception cref="ArgumentException">A geometry is invalid, or the pool's input is not the convolution's output.</exception>
    /// <exception cref="ArgumentNullException">A required pointer is null.</exception>
    /// <exception cref="InvalidOperationException"><see cref="FusesMaxPool"/> does not hold for <paramref name="g"/>.</exception>
    internal static void ForwardFusedMaxPool(in Conv2dGeometry g, in Pool2dGeometry pool, float* input, float* weight, float* bias, float* pooled,
        ActivationKind activation)
    {
        g.Validate();
        pool.Validate();
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(pooled);
        if (pool.Batch != g.Batch || pool.Channels != g.OutChannels || pool.InHeight != g.OutHeight || pool.InWidth != g.OutWidth)
            throw new ArgumentException($"The max pool's input [{pool.Batch}, {pool.Channels}, {pool.InHeight}, {pool.InWidth}] is not the convolution's output [{g.Batch}, {g.OutChannels}, {g.OutHeight}, {g.OutWidth}].", nameof(pool));
        if (!FusesMaxPool(g, PreparedConvWeights.For(weight) is not null))
            throw new InvalidOperationException($"The convolution {g} does not take the direct kernel, which the fused max pool needs.");
        DirectConv2d.Forward(g, input, weight, bias, pooled, activation, null, pool);
    }
}
