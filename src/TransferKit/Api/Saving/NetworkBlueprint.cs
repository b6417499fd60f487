using TransferKit.Models;

namespace TransferKit.Api;

/// <summary>
/// Enough to rebuild a trained network before its weights are loaded: the architecture (a catalog name, the baseline
/// CNN with its channels, or an imported ONNX graph), the class count, the head spec, and the feature-map shape the head was built for.
/// </summary>
public sealed record NetworkBlueprint
{
    /// <summary>The name used for the from-scratch baseline CNN.</summary>
    public const string BaselineCnnName = "baseline_cnn";

    /// <summary>The name used for a backbone imported from ONNX (its graph is <see cref="Onnx"/>).</summary>
    public const string OnnxName = "onnx";

    /// <summary>A catalog name (<c>resnet50</c>), <see cref="BaselineCnnName"/> or <see cref="OnnxName"/>.</summary>
    public required string Architecture { get; init; }

    /// <summary>Block channels of the baseline CNN (null for catalog architectures).</summary>
    public IReadOnlyList<int>? BaselineChannels { get; init; }

    /// <summary>The imported graph when the architecture is <see cref="OnnxName"/> (format version 3); else null.</summary>
    public OnnxBlueprint? Onnx { get; init; }

    /// <summary>Number of classes.</summary>
    public required int Classes { get; init; }

    /// <summary>The head; null keeps the architecture's own head (the baseline CNN's Linear).</summary>
    public HeadSpec? Head { get; init; }

    /// <summary>[C, h, w] of the final feature map at the training input size.</summary>
    public required IReadOnlyList<int> FeatureMapShape { get; init; }

    /// <summary>Builds the network with fresh weights (seed 0), ready for <see cref="Nn.Module.LoadStateDict"/>.</summary>
    /// <exception cref="ArgumentException">The architecture is unknown, or <see cref="OnnxName"/> without a graph.</exception>
    /// <exception cref="Weights.Onnx.OnnxModelException">The ONNX graph cannot be imported.</exception>
    public ConvNet Build()
    {
        ConvNet net = Architecture switch
        {
            BaselineCnnName => new BaselineCnn(new BaselineCnnOptions { Channels = BaselineChannels ?? [32, 64, 128, 256], Classes = Classes }),
            OnnxName => (Onnx ?? throw new ArgumentException($"architecture '{OnnxName}' needs its graph.", nameof(Onnx))).Build(Classes),
            _ => Architectures.Get(Architecture).Create(Classes, 0),
        };
        if (Head is not null)
            net.ReplaceHead(new ClassifierHead(Head, FeatureMapShape[0], FeatureMapShape[1], FeatureMapShape[2], Classes, new Random(0)));
        return net;
    }
}
