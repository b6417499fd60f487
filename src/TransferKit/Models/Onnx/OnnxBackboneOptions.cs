namespace TransferKit.Models.Onnx;

/// <summary>How an ONNX file becomes a transfer-learning backbone (<see cref="OnnxBackbone.Load"/>).</summary>
public sealed record OnnxBackboneOptions
{
    /// <summary>The architecture's name in reports and summaries; null (default) uses the file name without extension.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// The value the head attaches to. Null (default) finds the feature map in front of the graph's last global (or whole-map)
    /// average pool, so the file's own classifier is dropped. Name a 4-D value to attach to another feature map; the head
    /// then global-average-pools it. A 2-D value (pooled features) is used as it is.
    /// </summary>
    public string? FeatureOutput { get; init; }

    /// <summary>The evaluation transform of the weights (default torchvision's ImageNet 224; <see cref="OnnxPreprocessing.MlNetResNet18"/> for ML.NET's ResNet-18).</summary>
    public PreprocessingSpec Preprocessing { get; init; } = PreprocessingSpec.ImageNet224;
}
