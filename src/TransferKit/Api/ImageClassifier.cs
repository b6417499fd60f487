namespace TransferKit.Api;

/// <summary>
/// The entry point: <c>ImageClassifier.Create()</c> returns a builder that picks an architecture and weights, a freeze
/// depth, a head and training options, then <c>Build()</c> validates them all and returns a trainer.
/// </summary>
/// <example>
/// <code>
/// var trainer = ImageClassifier.Create()
///     .UseArchitecture(Architectures.MobileNetV2)
///     .UsePretrainedWeights("mobilenet_v2.safetensors")
///     .FreezeUnits(firstN: 14)
///     .WithHead(h => h.Hidden(256).BatchNorm().Dropout(0.5f))
///     .WithTraining(o => { o.Epochs = 10; o.BatchSize = 32; o.LearningRate = 1e-3; })
///     .WithClasses("cat", "dog")
///     .Build();
/// TrainingResult result = await trainer.FitAsync(train, validation, progress, cancellationToken);
/// trainer.Model.Save("cats-vs-dogs.safetensors");
/// </code>
/// </example>
public static class ImageClassifier
{
    /// <summary>Starts a new classifier description.</summary>
    public static ImageClassifierBuilder Create() => new();
}
