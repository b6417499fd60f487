namespace TransferKit.Data.Augmentation;

/// <summary>Mirrors the image left to right with probability <see cref="Probability"/> (torchvision's RandomHorizontalFlip).</summary>
public sealed class RandomHorizontalFlip
{
    /// <summary>Creates the augmentation.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> is not in [0, 1].</exception>
    public RandomHorizontalFlip(double probability)
    {
        if (!(probability >= 0 && probability <= 1)) throw new ArgumentOutOfRangeException(nameof(probability), probability, "Must be in [0, 1].");
        Probability = probability;
    }

    /// <summary>Probability of flipping.</summary>
    public double Probability { get; }

    /// <summary>Draws whether to flip (one uniform draw, like torchvision's <c>torch.rand(1) &lt; p</c>).</summary>
    public bool Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return random.NextDouble() < Probability;
    }

    /// <summary>Mirrors every row of every plane of <paramref name="planes"/> ([C, height, width], CHW) in place.</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of width * height.</exception>
    public static void Apply(Span<float> planes, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (planes.Length % (width * height) != 0) throw new ArgumentException($"Length {planes.Length} is not a whole number of {width}x{height} planes.", nameof(planes));
        for (int row = 0; row < planes.Length; row += width) planes.Slice(row, width).Reverse();
    }
}
