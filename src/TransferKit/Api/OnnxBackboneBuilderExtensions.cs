using TransferKit.Models.Onnx;
using TransferKit.Training.Freezing;

namespace TransferKit.Api;

/// <summary>Starts a transfer-learning run from any ONNX CNN.</summary>
public static class OnnxBackboneBuilderExtensions
{
    /// <summary>
    /// Uses the CNN in an ONNX file, with its own weights, as the backbone: the same as
    /// <c>UseArchitecture(OnnxBackbone.Load(path, options))</c> with the weights the file carries, and the backbone frozen by
    /// default (change it with <see cref="ImageClassifierBuilder.Freeze(FreezeDepth)"/> or <c>FreezeUpTo</c> after this call,
    /// naming units <c>stem</c>, <c>block1</c>, ...). The preprocessing is <see cref="OnnxBackboneOptions.Preprocessing"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <param name="options">Name, feature output and preprocessing; null for the defaults.</param>
    /// <exception cref="Weights.Onnx.OnnxModelException">The file cannot be imported.</exception>
    public static ImageClassifierBuilder UseOnnxBackbone(this ImageClassifierBuilder builder, string path, OnnxBackboneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // FromScratch here means "load no further weights": OnnxBackbone's Create already imports the file's weights.
        return builder.UseArchitecture(OnnxBackbone.Load(path, options)).FromScratch().Freeze(FreezeDepth.Backbone);
    }

    /// <summary>
    /// Uses ML.NET's ImageNet-trained ResNet-18 as the backbone, from the NuGet package
    /// <see cref="OnnxBackbones.MlNetResNet18Package"/> that the calling project references: the same as
    /// <see cref="UseOnnxBackbone"/> on <see cref="OnnxBackbones.MlNetResNet18"/> with <see cref="OnnxBackbones.MlNetResNet18Options"/>,
    /// that is ML.NET's preprocessing (<see cref="OnnxPreprocessing.MlNetResNet18"/>: 224 x 224, BGR, 0-255, minus the channel means). Its units are
    /// <c>stem</c> and <c>block1</c> to <c>block9</c>; the head sees 512 pooled features.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="packagesFolder">The NuGet global packages folder; null for <c>NUGET_PACKAGES</c>, else <c>~/.nuget/packages</c>.</param>
    /// <exception cref="WeightsPackageNotFoundException">The package was not restored on this machine.</exception>
    public static ImageClassifierBuilder UseMlNetResNet18(this ImageClassifierBuilder builder, string? packagesFolder = null) =>
        builder.UseOnnxBackbone(OnnxBackbones.MlNetResNet18(packagesFolder), OnnxBackbones.MlNetResNet18Options);
}
