using TransferKit.Autograd;
using TransferKit.Tensors;

namespace TransferKit.Nn;

/// <summary>
/// Inverted dropout, active only in training mode. Each forward pass draws a fresh mask from
/// (<see cref="Seed"/>, call count), so one seed reproduces a whole run.
/// </summary>
public sealed class Dropout : Module
{
    private ulong _calls;

    /// <summary>Creates the layer.</summary>
    /// <param name="p">Probability of zeroing an element, in [0, 1).</param>
    /// <param name="seed">Seed of the mask sequence.</param>
    public Dropout(float p, ulong seed = 0)
    {
        if (p is < 0f or >= 1f) throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout probability must be in [0, 1).");
        P = p;
        Seed = seed;
    }

    /// <summary>Probability of zeroing an element.</summary>
    public float P { get; }

    /// <summary>Seed of the mask sequence; setting it restarts the sequence.</summary>
    public ulong Seed
    {
        get;
        set
        {
            field = value;
            _calls = 0;
        }
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (!IsTraining) return Ops.Dropout(input, P, 0, training: false);
        ulong seed = unchecked(Seed * 0x9E3779B97F4A7C15UL + ++_calls);
        return Ops.Dropout(input, P, seed, training: true);
    }
}
