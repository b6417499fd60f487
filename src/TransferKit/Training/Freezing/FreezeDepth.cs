using TransferKit.Models;

namespace TransferKit.Training.Freezing;

/// <summary>
/// How much of a pre-trained network to freeze, stated in its ordered units (<see cref="ConvNet.Units"/>):
/// the first N, all but the last N, a fraction, or up to and including a named unit. The head is always trained.
/// </summary>
public abstract record FreezeDepth
{
    private FreezeDepth() { }

    /// <summary>Nothing frozen: fine-tune the whole network.</summary>
    public static FreezeDepth None { get; } = new FirstUnitsDepth(0);

    /// <summary>The whole backbone frozen: only the head trains (ML.NET's ImageClassificationTrainer, Keras' feature extraction).</summary>
    public static FreezeDepth Backbone { get; } = new FractionDepth(1.0);

    /// <summary>Freezes the first <paramref name="count"/> units.</summary>
    public static FreezeDepth FirstUnits(int count) => new FirstUnitsDepth(count);

    /// <summary>Trains the last <paramref name="count"/> units (and the head); freezes the rest.</summary>
    public static FreezeDepth TrainLastUnits(int count) => new TrainLastDepth(count);

    /// <summary>Freezes the first <paramref name="fraction"/> of the units, rounded down (0.8 of 5 ResNet units freezes 4).</summary>
    public static FreezeDepth Fraction(double fraction) => new FractionDepth(fraction);

    /// <summary>Freezes every unit up to and including the one called <paramref name="unitName"/> (e.g. <c>layer3</c>).</summary>
    public static FreezeDepth UpTo(string unitName) => new UpToDepth(unitName);

    /// <summary>The number of leading units to freeze in <paramref name="network"/>.</summary>
    /// <exception cref="ArgumentException">The depth does not fit the network; the message names the option and the units.</exception>
    public abstract int Resolve(ConvNet network);

    private static string Names(ConvNet n) => string.Join(", ", n.Units.Select(u => u.Name));

    private sealed record FirstUnitsDepth(int Count) : FreezeDepth
    {
        public override int Resolve(ConvNet network)
        {
            if (Count < 0 || Count > network.Units.Count)
                throw new ArgumentException($"FreezeUnits(firstN: {Count}) is outside 0..{network.Units.Count}; the units are {Names(network)}.", nameof(Count));
            return Count;
        }

        public override string ToString() => Count == 0 ? "nothing frozen" : $"first {Count} units frozen";
    }

    private sealed record TrainLastDepth(int Count) : FreezeDepth
    {
        public override int Resolve(ConvNet network)
        {
            if (Count < 0 || Count > network.Units.Count)
                throw new ArgumentException($"TrainLastUnits({Count}) is outside 0..{network.Units.Count}; the units are {Names(network)}.", nameof(Count));
            return network.Units.Count - Count;
        }

        public override string ToString() => $"last {Count} units trained";
    }

    private sealed record FractionDepth(double Value) : FreezeDepth
    {
        public override int Resolve(ConvNet network)
        {
            if (!(Value >= 0 && Value <= 1))
                throw new ArgumentException($"FreezeFraction({Value}) must be between 0 and 1.", nameof(Value));
            return (int)Math.Floor(Value * network.Units.Count + 1e-9);
        }

        public override string ToString() => Value == 1 ? "backbone frozen" : $"{Value:P0} of units frozen";
    }

    private sealed record UpToDepth(string UnitName) : FreezeDepth
    {
        public override int Resolve(ConvNet network)
        {
            for (int i = 0; i < network.Units.Count; i++)
                if (network.Units[i].Name == UnitName) return i + 1;
            throw new ArgumentException($"FreezeUpTo(\"{UnitName}\"): the network has no such unit; the units are {Names(network)}.", nameof(UnitName));
        }

        public override string ToString() => $"frozen up to {UnitName}";
    }
}
