namespace TransferKit.Models;

/// <summary>Shape of an <see cref="EfficientNet"/>; the defaults build torchvision's <c>efficientnet_b0()</c>.</summary>
public sealed class EfficientNetOptions
{
    /// <summary>Outputs of the classifier. Default 1000 (ImageNet).</summary>
    public int Classes { get; init; } = 1000;

    /// <summary>The MBConv stages. Default <see cref="MBConvStage.B0"/>.</summary>
    public IReadOnlyList<MBConvStage> Stages { get; init; } = MBConvStage.B0;

    /// <summary>Scales every channel count of <see cref="Stages"/>, rounded to a multiple of 8 (B0: 1.0, B1: 1.0, B2: 1.1, ...). Default 1.</summary>
    public double WidthMultiplier { get; init; } = 1.0;

    /// <summary>Scales every stage's block count, rounded up (B0: 1.0, B1: 1.1, B2: 1.2, ...). Default 1.</summary>
    public double DepthMultiplier { get; init; } = 1.0;

    /// <summary>Channels of the last 1x1 conv, or null for 4x the last stage's output (1280 for B0). Default null.</summary>
    public int? LastChannel { get; init; }

    /// <summary>Dropout probability before the classifier's Linear layer (B0: 0.2). Default 0.2.</summary>
    public float Dropout { get; init; } = 0.2f;

    /// <summary>
    /// Stochastic depth at the last block; block i of n drops its residual branch with probability
    /// <c>StochasticDepthProbability * i / n</c> in training (torchvision's linear rule). Default 0.2.
    /// </summary>
    public float StochasticDepthProbability { get; init; } = 0.2f;

    /// <summary>Batch-norm epsilon. Default 1e-5, as torchvision's B0..B4 (B5..B7 use 1e-3).</summary>
    public float BatchNormEps { get; init; } = 1e-5f;

    /// <summary>Batch-norm momentum, PyTorch's convention. Default 0.1, as torchvision's B0..B4 (B5..B7 use 0.01).</summary>
    public float BatchNormMomentum { get; init; } = 0.1f;

    /// <summary>Seed of the weight initialisation, the dropout masks and the stochastic depth draws. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        if (Classes < 1) throw new ArgumentException($"EfficientNetOptions.Classes must be positive, got {Classes}.", nameof(Classes));
        if (!(WidthMultiplier > 0) || double.IsInfinity(WidthMultiplier))
            throw new ArgumentException($"EfficientNetOptions.WidthMultiplier must be positive, got {WidthMultiplier}.", nameof(WidthMultiplier));
        if (!(DepthMultiplier > 0) || double.IsInfinity(DepthMultiplier))
            throw new ArgumentException($"EfficientNetOptions.DepthMultiplier must be positive, got {DepthMultiplier}.", nameof(DepthMultiplier));
        if (LastChannel is < 1) throw new ArgumentException($"EfficientNetOptions.LastChannel must be positive, got {LastChannel}.", nameof(LastChannel));
        if (Dropout is < 0f or >= 1f) throw new ArgumentException($"EfficientNetOptions.Dropout must be in [0, 1), got {Dropout}.", nameof(Dropout));
        if (StochasticDepthProbability is < 0f or > 1f)
            throw new ArgumentException($"EfficientNetOptions.StochasticDepthProbability must be in [0, 1], got {StochasticDepthProbability}.", nameof(StochasticDepthProbability));
        if (!(BatchNormEps > 0)) throw new ArgumentException($"EfficientNetOptions.BatchNormEps must be positive, got {BatchNormEps}.", nameof(BatchNormEps));
        if (BatchNormMomentum is < 0f or > 1f)
            throw new ArgumentException($"EfficientNetOptions.BatchNormMomentum must be in [0, 1], got {BatchNormMomentum}.", nameof(BatchNormMomentum));
        if (Stages is null || Stages.Count == 0) throw new ArgumentException("EfficientNetOptions.Stages must list at least one stage.", nameof(Stages));
        for (int i = 0; i < Stages.Count; i++)
        {
            var s = Stages[i];
            if (s is null || !(s.ExpandRatio >= 1) || s.Kernel < 1 || s.Kernel % 2 == 0 || s.Stride is not (1 or 2)
                || s.InputChannels < 1 || s.OutputChannels < 1 || s.Layers < 1)
                throw new ArgumentException($"EfficientNetOptions.Stages[{i}] ({s}) needs expansion >= 1, an odd kernel, stride 1 or 2 and positive sizes.", nameof(Stages));
            if (i > 0 && Stages[i - 1].OutputChannels != s.InputChannels)
                throw new ArgumentException($"EfficientNetOptions.Stages[{i}] takes {s.InputChannels} channels but stage {i - 1} gives {Stages[i - 1].OutputChannels}.", nameof(Stages));
        }
    }
}
