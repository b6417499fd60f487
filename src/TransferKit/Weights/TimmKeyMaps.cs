namespace TransferKit.Weights;

/// <summary>
/// Key maps from timm's names to torchvision's for the architectures where they differ.
/// <para>
/// timm builds MobileNetV2 and EfficientNet with one class (<c>timm/models/efficientnet.py</c>): <c>conv_stem</c>,
/// <c>bn1</c>, stages of blocks <c>blocks.{stage}.{block}</c>, then <c>conv_head</c>, <c>bn2</c> and a Linear
/// <c>classifier</c>. A block of the first stage has no expansion and is a depthwise-separable block
/// (<c>conv_dw</c>, <c>bn1</c>, optional <c>se</c>, <c>conv_pw</c>, <c>bn2</c>); later blocks are inverted residuals
/// (<c>conv_pw</c>, <c>bn1</c>, <c>conv_dw</c>, <c>bn2</c>, optional <c>se</c>, <c>conv_pwl</c>, <c>bn3</c>), and
/// squeeze-excite has <c>conv_reduce</c> and <c>conv_expand</c> with biases.
/// torchvision numbers the same layers inside <c>features</c> and puts the Linear after a Dropout
/// (<c>classifier.1</c>). Every layer has the same shape on both sides, so a rename is all that is needed;
/// <c>tests/TransferKit.Tests/Weights/TimmKeyMapsTests.cs</c> checks each table against both key lists.
/// </para>
/// </summary>
public static class TimmKeyMaps
{
    /// <summary>Blocks per stage of MobileNetV2: the <c>n</c> column of Table 2 in Sandler et al. 2018 (arXiv:1801.04381).</summary>
    public static IReadOnlyList<int> MobileNetV2StageDepths { get; } = [1, 2, 3, 4, 3, 3, 1];

    /// <summary>Blocks per stage of EfficientNet-B0: the <c>#Layers</c> column of Table 1, stages 2 to 8, in Tan and Le 2019 (arXiv:1905.11946).</summary>
    public static IReadOnlyList<int> EfficientNetB0StageDepths { get; } = [1, 2, 2, 3, 3, 4, 1];

    /// <summary>timm's ResNets (<c>resnet50.a1_in1k</c> and the rest) use torchvision's names: no renaming.</summary>
    public static KeyMap ResNet => KeyMap.Identity;

    /// <summary>timm <c>mobilenetv2_100</c> to torchvision <c>mobilenet_v2</c>.</summary>
    public static KeyMap MobileNetV2 { get; } = CreateMobileNetV2("timm-mobilenetv2_100", MobileNetV2StageDepths);

    /// <summary>timm <c>efficientnet_b0</c> to torchvision <c>efficientnet_b0</c>.</summary>
    public static KeyMap EfficientNetB0 { get; } = CreateEfficientNet("timm-efficientnet_b0", EfficientNetB0StageDepths);

    /// <summary>
    /// The map from timm's names for <paramref name="architecture"/>: <see cref="ResNet"/> (no renaming) for the ResNets,
    /// <see cref="MobileNetV2"/> for <c>mobilenet_v2</c>, <see cref="EfficientNetB0"/> for <c>efficientnet_b0</c>;
    /// null for the architectures the library has no timm map for.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="architecture"/> is null.</exception>
    public static KeyMap? For(Models.ArchitectureInfo architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return architecture.Name switch
        {
            var n when n.StartsWith("resnet", StringComparison.Ordinal) => ResNet,
            "mobilenet_v2" => MobileNetV2,
            "efficientnet_b0" => EfficientNetB0,
            _ => null,
        };
    }

    /// <summary>
    /// The MobileNetV2 map for other depths (timm's <c>mobilenetv2_110d</c> and <c>mobilenetv2_120d</c> scale the
    /// stage depths; width multipliers change shapes but not names).
    /// </summary>
    /// <param name="name">Name of the map.</param>
    /// <param name="stageDepths">Blocks in each of the seven stages; the first stage's blocks have no expansion.</param>
    /// <exception cref="ArgumentException">A depth is not positive, or there are no stages.</exception>
    public static KeyMap CreateMobileNetV2(string name, IReadOnlyList<int> stageDepths)
    {
        CheckDepths(stageDepths);
        var rules = new List<KeyMapRule> { new("conv_stem", "features.0.0"), new("bn1", "features.0.1") };
        int feature = 1;
        for (int stage = 0; stage < stageDepths.Count; stage++)
        {
            for (int block = 0; block < stageDepths[stage]; block++, feature++)
            {
                string from = $"blocks.{stage}.{block}", to = $"features.{feature}.conv";
                if (stage == 0)
                {
                    // torchvision's InvertedResidual with expand ratio 1: [dw ConvBNReLU, pw-linear conv, BN].
                    Add(rules, from, to, ("conv_dw", "0.0"), ("bn1", "0.1"), ("conv_pw", "1"), ("bn2", "2"));
                }
                else
                {
                    // [expand ConvBNReLU, dw ConvBNReLU, pw-linear conv, BN].
                    Add(rules, from, to, ("conv_pw", "0.0"), ("bn1", "0.1"), ("conv_dw", "1.0"), ("bn2", "1.1"),
                        ("conv_pwl", "2"), ("bn3", "3"));
                }
            }
        }
        rules.Add(new("conv_head", $"features.{feature}.0"));
        rules.Add(new("bn2", $"features.{feature}.1"));
        rules.Add(new("classifier", "classifier.1"));
        return KeyMap.FromRules(name, rules);
    }

    /// <summary>
    /// The EfficientNet map for other depths (B1 to B7 scale each stage's depth by ceil(depth x multiplier) in timm and
    /// torchvision alike).
    /// </summary>
    /// <param name="name">Name of the map.</param>
    /// <param name="stageDepths">Blocks in each stage; the first stage's blocks have no expansion.</param>
    /// <exception cref="ArgumentException">A depth is not positive, or there are no stages.</exception>
    public static KeyMap CreateEfficientNet(string name, IReadOnlyList<int> stageDepths)
    {
        CheckDepths(stageDepths);
        var rules = new List<KeyMapRule> { new("conv_stem", "features.0.0"), new("bn1", "features.0.1") };
        for (int stage = 0; stage < stageDepths.Count; stage++)
        {
            for (int block = 0; block < stageDepths[stage]; block++)
            {
                string from = $"blocks.{stage}.{block}", to = $"features.{stage + 1}.{block}.block";
                if (stage == 0)
                {
                    // torchvision's MBConv with expand ratio 1: [dw Conv2dNormActivation, SqueezeExcitation, project].
                    Add(rules, from, to, ("conv_dw", "0.0"), ("bn1", "0.1"), ("se.conv_reduce", "1.fc1"),
                        ("se.conv_expand", "1.fc2"), ("conv_pw", "2.0"), ("bn2", "2.1"));
                }
                else
                {
                    // [expand, dw, SqueezeExcitation, project].
                    Add(rules, from, to, ("conv_pw", "0.0"), ("bn1", "0.1"), ("conv_dw", "1.0"), ("bn2", "1.1"),
                        ("se.conv_reduce", "2.fc1"), ("se.conv_expand", "2.fc2"), ("conv_pwl", "3.0"), ("bn3", "3.1"));
                }
            }
        }
        int head = stageDepths.Count + 1;
        rules.Add(new("conv_head", $"features.{head}.0"));
        rules.Add(new("bn2", $"features.{head}.1"));
        rules.Add(new("classifier", "classifier.1"));
        return KeyMap.FromRules(name, rules);
    }

    private static void Add(List<KeyMapRule> rules, string from, string to, params (string Source, string Target)[] layers)
    {
        foreach (var (source, target) in layers) rules.Add(new($"{from}.{source}", $"{to}.{target}"));
    }

    private static void CheckDepths(IReadOnlyList<int> stageDepths)
    {
        ArgumentNullException.ThrowIfNull(stageDepths);
        if (stageDepths.Count == 0) throw new ArgumentException("At least one stage is needed.", nameof(stageDepths));
        for (int i = 0; i < stageDepths.Count; i++)
            if (stageDepths[i] < 1) throw new ArgumentException($"Stage {i} has depth {stageDepths[i]}; depths must be positive.", nameof(stageDepths));
    }
}
