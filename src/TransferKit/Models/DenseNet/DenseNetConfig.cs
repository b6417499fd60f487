namespace TransferKit.Models;

/// <summary>
/// The table of a DenseNet-BC (Huang et al. 2017, "Densely Connected Convolutional Networks", Table 1): a 7x7 stem with
/// <see cref="InitFeatures"/> channels and a max pool, then dense blocks of <see cref="BlockConfig"/> layers, each layer adding
/// <see cref="GrowthRate"/> channels (BN-ReLU-1x1 conv to <see cref="BottleneckSize"/> x growth, BN-ReLU-3x3 conv to growth),
/// with a transition (BN-ReLU-1x1 conv halving the channels, 2x2 average pool) between blocks, and a final BN.
/// DenseNet-121 is growth 32, blocks (6, 12, 24, 16), 64 initial features, bottleneck 4.
/// </summary>
/// <param name="GrowthRate">Channels each dense layer adds (k in the paper).</param>
/// <param name="BlockConfig">Dense layers per block.</param>
/// <param name="InitFeatures">Channels of the stem convolution.</param>
/// <param name="BottleneckSize">Width multiplier of each layer's 1x1 bottleneck (torchvision's bn_size).</param>
public sealed record DenseNetConfig(int GrowthRate, IReadOnlyList<int> BlockConfig, int InitFeatures, int BottleneckSize = 4)
{
    /// <summary>DenseNet-121: growth 32, blocks (6, 12, 24, 16), 64 initial features.</summary>
    public static DenseNetConfig DenseNet121 { get; } = new(32, [6, 12, 24, 16], 64);

    /// <summary>Channels entering each block and, at the last index, leaving the final block (the feature channels).</summary>
    public IReadOnlyList<int> BlockInputChannels()
    {
        var channels = new int[BlockConfig.Count + 1];
        int c = InitFeatures;
        for (int i = 0; i < BlockConfig.Count; i++)
        {
            channels[i] = c;
            c += BlockConfig[i] * GrowthRate;
            if (i != BlockConfig.Count - 1) c /= 2;
        }
        channels[^1] = c;
        return channels;
    }

    /// <summary>Channels of the final feature map (1024 for DenseNet-121).</summary>
    public int FeatureChannels => BlockInputChannels()[^1];

    /// <summary>Checks the table.</summary>
    /// <exception cref="ArgumentException">A size is not positive or a block has no layer.</exception>
    public void Validate()
    {
        if (GrowthRate < 1) throw new ArgumentException($"DenseNetConfig.GrowthRate must be positive, got {GrowthRate}.", nameof(GrowthRate));
        if (InitFeatures < 1) throw new ArgumentException($"DenseNetConfig.InitFeatures must be positive, got {InitFeatures}.", nameof(InitFeatures));
        if (BottleneckSize < 1) throw new ArgumentException($"DenseNetConfig.BottleneckSize must be positive, got {BottleneckSize}.", nameof(BottleneckSize));
        if (BlockConfig is null || BlockConfig.Count == 0 || BlockConfig.Any(n => n < 1))
            throw new ArgumentException("DenseNetConfig.BlockConfig needs at least one block, each with at least one layer.", nameof(BlockConfig));
    }
}
