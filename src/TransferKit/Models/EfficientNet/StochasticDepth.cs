using TransferKit.Autograd;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// Stochastic depth in torchvision's "row" mode (Huang et al. 2016): in training, each image's residual branch is
/// zeroed with probability <see cref="Probability"/> and otherwise scaled by 1 / (1 - p), so its expectation is unchanged;
/// in evaluation it is the identity. Like <see cref="Dropout"/>, the draws come from (<see cref="Seed"/>, call count,
/// image index) through a counter-based hash, so one seed reproduces a run (torchvision draws from the global generator,
/// so training-mode outputs cannot match PyTorch's bit for bit, only in distribution).
/// </summary>
internal sealed class StochasticDepth : Module
{
    private ulong _calls;

    /// <summary>Creates the layer.</summary>
    /// <param name="probability">Probability of dropping an image's branch, in [0, 1].</param>
    /// <param name="seed">Seed of the draw sequence.</param>
    public StochasticDepth(float probability, ulong seed)
    {
        if (probability is < 0f or > 1f)
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Stochastic depth probability must be in [0, 1].");
        Probability = probability;
        Seed = seed;
    }

    /// <summary>Probability of dropping an image's branch.</summary>
    public float Probability { get; }

    /// <summary>Seed of the draw sequence.</summary>
    public ulong Seed { get; }

    /// <summary>x [N, C, H, W] unchanged (a view) in evaluation or at probability 0; else each image scaled by 0 or 1 / (1 - p).</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!IsTraining || Probability == 0f) return Ops.Reshape(input, input.Shape);
        int n = input.Shape[0], c = input.Shape[1];
        ulong stream = unchecked(Seed * 0x9E3779B97F4A7C15UL + ++_calls);
        var scale = Tensor.Empty(n, c);
        float survival = 1f - Probability;
        var s = scale.Span;
        for (int i = 0; i < n; i++)
        {
            // The top 24 bits of the hash give a uniform draw in [0, 1) exactly representable as a float.
            float draw = (Mix(stream, (ulong)i) >> 40) * (1f / (1 << 24));
            float value = draw < Probability ? 0f : 1f / survival;
            s.Slice(i * c, c).Fill(value);
        }
        var y = Ops.ChannelScale(input, scale);
        ReleaseIntermediate(scale);
        return y;
    }

    /// <summary>The SplitMix64 finaliser of (stream, index): a counter-based generator, independent of call order within a pass.</summary>
    internal static ulong Mix(ulong stream, ulong index)
    {
        ulong z = unchecked(stream + (index + 1) * 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
