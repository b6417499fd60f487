using Microsoft.ML;
using TransferKit.MLNet.Classification;
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
    /// Registers TransferKit's transformers with an MLContext's component catalog, so that <c>mlContext.Model.Load</c>
    /// finds them. Needed only in a process that loads a model without having used TransferKit.MLNet before (any use of
    /// its types registers them for every MLContext); ML.NET's custom mappings ask the same of their assemblies.
    /// </summary>
    /// <param name="mlContext">The context that will load models.</param>
    public static void RegisterTransferKit(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        MlNetInternals.Register(mlContext.ComponentCatalog);
    }
}
