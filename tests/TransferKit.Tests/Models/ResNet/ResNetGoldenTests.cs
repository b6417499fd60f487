using TransferKit.Models;

namespace TransferKit.Tests.Models;

/// <summary>
/// Reduced ResNets built from torchvision's own classes (tools/fixtures/models_resnet_vgg_densenet.py, width 4) against
/// ours: eval and train logits, pooled features, loss, gradients, BN running statistics.
/// </summary>
public class ResNetGoldenTests
{
    [Fact]
    public void BasicBlockResNetMatchesPyTorch()
    {
        using var model = new ResNet(new ResNetConfig(ResNetBlockKind.Basic, [1, 1, 1, 1], Width: 4), classes: 5);
        TorchvisionModelChecks.MatchesPyTorch(model, "resnet_basic_tiny", ResNet.PoolFeatures);
    }

    [Fact]
    public void BottleneckResNetMatchesPyTorch()
    {
        using var model = new ResNet(new ResNetConfig(ResNetBlockKind.Bottleneck, [2, 1, 1, 1], Width: 4), classes: 5);
        TorchvisionModelChecks.MatchesPyTorch(model, "resnet_bottleneck_tiny", ResNet.PoolFeatures);
    }
}
