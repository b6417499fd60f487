using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// A head that takes the backbone's raw [N, C, h, w] feature map and does its own pooling (or flattening).
/// <see cref="ConvNet"/> hands such a head the feature map directly instead of running the architecture's own pooling.
/// </summary>
public interface IFeatureMapHead
{
    /// <summary>Maps [N, C, h, w] features to [N, outputs] logits.</summary>
    Tensor Forward(Tensor featureMap);
}
