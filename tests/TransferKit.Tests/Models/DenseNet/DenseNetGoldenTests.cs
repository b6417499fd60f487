using TransferKit.Models;

namespace TransferKit.Tests.Models;

/// <summary>
/// A reduced DenseNet built by torchvision's own class (growth 8, blocks (2, 2), 16 initial features) against ours: the
/// concatenations, the transition, the final BN and the head's ReLU and pooling.
/// </summary>
public class DenseNetGoldenTests
{
    [Fact]
    public void TinyDenseNetMatchesPyTorch()
    {
        using var model = new DenseNet(new DenseNetConfig(GrowthRate: 8, BlockConfig: [2, 2], InitFeatures: 16), classes: 5);
        TorchvisionModelChecks.MatchesPyTorch(model, "densenet_tiny", DenseNet.PoolFeatures);
    }
}
