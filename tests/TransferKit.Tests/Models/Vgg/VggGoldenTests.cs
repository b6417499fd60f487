using TransferKit.Models;

namespace TransferKit.Tests.Models;

/// <summary>
/// A reduced VGG built from torchvision's VGG and make_layers (features [4, M, 8, 8, M], classifier narrowed to 12 hidden,
/// dropout 0 so train mode is deterministic) against ours.
/// </summary>
public class VggGoldenTests
{
    [Fact]
    public void TinyVggMatchesPyTorch()
    {
        using var model = new Vgg(new VggConfig([[4], [8, 8]], HiddenFeatures: 12, Dropout: 0f), classes: 5);
        TorchvisionModelChecks.MatchesPyTorch(model, "vgg_tiny", Vgg.PoolFeatures);
    }
}
