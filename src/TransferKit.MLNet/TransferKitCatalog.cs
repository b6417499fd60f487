using Microsoft.ML;
using TransferKit.MLNet.Classification;
using TransferKit.MLNet.Featurization;
using TransferKit.MLNet.Hosting;

namespace TransferKit.MLNet;

/// <summary>
/// Extension methods that put TransferKit on ML.NET's catalogs: change the trainer line of an ML.NET image
/// classification pipeline to <c>mlContext.MulticlassClassification.Trainers.TransferKitImageClassification(options)</c>.
/// </summary>
public static class TransferKitCatalog
{
    /// <summary>
    /// A multiclass image-classification trainer on TransferKit's engine (the counterpart of ML.NET's
    /// <c>ImageClassification</c>, which needs TensorFlow). Binary tasks use it with two classes.
    /// </summary>
    /// <param name="catalog">The multiclass trainers catalog of an MLContext.</param>
    /// <param name="options">The options; their column names and training settings are checked here.</param>
    /// <returns>The trainer, an <see cref="IEstimator{TTransformer}"/>.</returns>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public static TransferKitImageClassificationTrainer TransferKitImageClassification(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, TransferKitImageClassificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        var env = MlNetInternals.EnvironmentOf(catalog);
        MlNetInternals.Register(env.ComponentCatalog);
        return new TransferKitImageClassificationTrainer(env, options);
    }

    /// <summary>
    /// An image featurizer, the counterpart of ML.NET's <c>DnnFeaturizeImage</c>: <paramref name="backbone"/> (a catalog
    /// network up to any unit, <see cref="ConvNetFeatureBackbone"/>, or any <see cref="IImageFeatureBackbone"/>) turns
    /// each image into a pooled feature vector, <paramref name="batchSize"/> images per forward pass. Follow it with an
    /// ML.NET trainer, e.g. <c>mlContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy("Label", outputColumnName)</c>.
    /// </summary>
    /// <param name="catalog">The transforms catalog of an MLContext.</param>
    /// <param name="outputColumnName">The feature column to add: a vector of <see cref="IImageFeatureBackbone.FeatureDimension"/> floats.</param>
    /// <param name="inputColumnName">The image column: encoded image bytes (from <c>LoadRawImageBytes</c>) or MLImage (from <c>LoadImages</c>).</param>
    /// <param name="backbone">The network; the transformer owns it from here (disposing the transformer disposes it).</param>
    /// <param name="batchSize">Images per forward pass when a cursor runs over many rows (default 16).</param>
    public static TransferKitImageFeaturizerEstimator TransferKitFeaturizeImage(this TransformsCatalog catalog,
        string outputColumnName, string inputColumnName, IImageFeatureBackbone backbone, int batchSize = 16)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(backbone);
        var env = MlNetInternals.EnvironmentOf(catalog);
        MlNetInternals.Register(env.ComponentCatalog);
        return new TransferKitImageFeaturizerEstimator(env, backbone, outputColumnName, inputColumnName, batchSize);
    }

    /// <summary>
    /// Registers TransferKit's transformers with an MLContext's component catalog, so that <c>mlContext.Model.Load</c>
    /// finds them. C# projects that reference the TransferKit.MLNet package do not need it: the package registers the
    /// loaders when the project's assembly starts (see <see cref="RegisterTransferKitLoaders"/>). Call it where that is
    /// off: F# or VB, a ProjectReference to TransferKit.MLNet, or <c>TransferKitMLNetRegisterOnStartup=false</c>.
    /// Without it (and before any TransferKit.MLNet code has run), Model.Load fails with a FileNotFoundException for
    /// the assembly 'TransferKit.MLNet.Loaders (call mlContext.RegisterTransferKit() before Model.Load)'.
    /// </summary>
    /// <param name="mlContext">The context that will load models.</param>
    public static void RegisterTransferKit(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        MlNetInternals.Register(mlContext.ComponentCatalog);
    }

    /// <summary>
    /// Makes every MLContext of this process find TransferKit's transformers when it loads a model file: ML.NET asks for
    /// the loader assembly a model file names, and TransferKit answers. Calling it again does nothing. The
    /// TransferKit.MLNet package calls it from a module initializer it adds to C# projects that reference it.
    /// </summary>
    public static void RegisterTransferKitLoaders() => MlNetInternals.InstallResolver();
}
