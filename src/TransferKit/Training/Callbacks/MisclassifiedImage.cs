namespace TransferKit.Training.Callbacks;

/// <summary>
/// A validation image the final model got wrong, with how sure it was, and a small picture of it for the report.
/// </summary>
/// <param name="Index">The sample's index in the validation set.</param>
/// <param name="SourceName">The sample's name in the dataset (a file path, or "file#record").</param>
/// <param name="TrueLabel">Index of the true class.</param>
/// <param name="TrueClass">Name of the true class.</param>
/// <param name="PredictedLabel">Index of the predicted class (the first arg-max, or the sigmoid above the evaluator's threshold).</param>
/// <param name="PredictedClass">Name of the predicted class.</param>
/// <param name="Confidence">Probability the model gave the predicted class, in [0, 1].</param>
/// <param name="Thumbnail">
/// A JPEG of the image scaled to fit <see cref="ThumbnailSize"/> pixels (never enlarged), or empty when the image could
/// not be read again or encoded when the fit ended.
/// </param>
public sealed record MisclassifiedImage(
    int Index,
    string SourceName,
    int TrueLabel,
    string TrueClass,
    int PredictedLabel,
    string PredictedClass,
    float Confidence,
    ReadOnlyMemory<byte> Thumbnail)
{
    /// <summary>The longest side, in pixels, of a thumbnail.</summary>
    public const int ThumbnailSize = 96;

    /// <summary>One line without the thumbnail: <c>cats/cat.96.jpg: cat, predicted dog (93.1%)</c>.</summary>
    public override string ToString() => FormattableString.Invariant($"{SourceName}: {TrueClass}, predicted {PredictedClass} ({Confidence:0.0%})");
}
