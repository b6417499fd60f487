using TransferKit.Data.Decoding;
using TransferKit.Models;

namespace TransferKit.MLNet.Featurization;

/// <summary>
/// A frozen network that turns images into one feature vector each, for <see cref="TransferKitImageFeaturizerTransformer"/>.
/// TransferKit's catalog networks are <see cref="ConvNetFeatureBackbone"/>; another kind (an imported ONNX graph, say)
/// implements this interface and registers its loader with <see cref="ImageFeatureBackbones.Register"/> so that ML.NET
/// model files holding it load again. Implementations must be safe to call from several threads at once.
/// </summary>
public interface IImageFeatureBackbone : IDisposable
{
    /// <summary>The registered kind that <see cref="ImageFeatureBackbones.Register"/> maps to this type's loader.</summary>
    string Kind { get; }

    /// <summary>What the backbone is, for logs (for example "resnet18 up to layer3").</summary>
    string Description { get; }

    /// <summary>The preprocessing images get before the network (input size, resize, normalisation).</summary>
    PreprocessingSpec Preprocessing { get; }

    /// <summary>Elements of each image's feature vector.</summary>
    int FeatureDimension { get; }

    /// <summary>Computes the features of <paramref name="images"/> in one batch into <paramref name="features"/> ([N, <see cref="FeatureDimension"/>], row-major).</summary>
    /// <exception cref="ArgumentException"><paramref name="features"/> has the wrong length.</exception>
    void Featurize(IReadOnlyList<DecodedImage> images, Span<float> features);

    /// <summary>Writes everything needed to rebuild the backbone to one file at <paramref name="path"/>.</summary>
    void Save(string path);
}
