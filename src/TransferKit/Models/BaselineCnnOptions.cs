namespace TransferKit.Models;

/// <summary>Shape of the <see cref="BaselineCnn"/>: the seed articles' small CNN trained from scratch.</summary>
public sealed class BaselineCnnOptions
{
    /// <summary>Output channels of each [Conv3x3, BN, ReLU, MaxPool2] block. Default 32, 64, 128, 256.</summary>
    public IReadOnlyList<int> Channels { get; init; } = [32, 64, 128, 256];

    /// <summary>Input image channels. Default 3 (RGB).</summary>
    public int InChannels { get; init; } = 3;

    /// <summary>Number of classes of the final Linear layer. Default 2.</summary>
    public int Classes { get; init; } = 2;

    /// <summary>Seed of the weight initialisation. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        if (Channels is null || Channels.Count == 0)
            throw new ArgumentException("BaselineCnnOptions.Channels must list at least one block.", nameof(Channels));
        for (int i = 0; i < Channels.Count; i++)
            if (Channels[i] < 1) throw new ArgumentException($"BaselineCnnOptions.Channels[{i}] must be positive, got {Channels[i]}.", nameof(Channels));
        if (InChannels < 1) throw new ArgumentException($"BaselineCnnOptions.InChannels must be positive, got {InChannels}.", nameof(InChannels));
        if (Classes < 1) throw new ArgumentException($"BaselineCnnOptions.Classes must be positive, got {Classes}.", nameof(Classes));
    }
}
