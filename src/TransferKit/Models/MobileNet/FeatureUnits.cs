using TransferKit.Nn;

namespace TransferKit.Models;

/// <summary>Helpers shared by the networks whose body is torchvision's <c>features</c> Sequential.</summary>
internal static class FeatureUnits
{
    /// <summary>One unit per child of <paramref name="features"/>, named <c>features.{i}</c> as its keys start.</summary>
    public static IReadOnlyList<NetworkUnit> Of(Sequential features) =>
        [.. features.Children.Select(kv => new NetworkUnit("features." + kv.Key, [kv.Value]))];

    /// <summary>
    /// Every conv that is directly followed by its BN under <paramref name="root"/>: the Conv2dNormActivation blocks and
    /// the linear projections of MobileNetV2 blocks, in forward order.
    /// </summary>
    public static IEnumerable<(Conv2d Conv, BatchNorm2d Norm)> ConvBatchNormPairs(Module root)
    {
        MobileNetV2Block? pending = null;
        foreach (var (_, module) in root.NamedModules())
        {
            if (module is Conv2dNormActivation cna) yield return (cna.Conv, cna.Norm);
            else if (module is MobileNetV2Block block) pending = block;
            // A block's projection pair comes after its expanding and depthwise blocks, where its BN is visited.
            else if (pending is not null && ReferenceEquals(module, pending.ProjectionNorm)) yield return (pending.Projection, pending.ProjectionNorm);
        }
    }

    /// <summary>A Linear layer with torchvision's MobileNet initialisation: weights N(0, 0.01), bias zero.</summary>
    public static Linear NormalLinear(int inFeatures, int outFeatures, Random random)
    {
        var linear = new Linear(inFeatures, outFeatures, random);
        Init.Normal(linear.Weight.Value, 0, 0.01, random);
        linear.Bias!.Value.Span.Clear();
        return linear;
    }
}
