using System.Text.Json;

namespace TransferKit.Evaluation;

/// <summary>
/// Every metric of one evaluation, from <see cref="ClassificationEvaluator.ToReport"/>. Print it with
/// <see cref="ToText"/>, store it with <see cref="ToJson"/> and read it back with <see cref="FromJson"/>. The JSON
/// property names are the camelCase property names and are part of the format; <see cref="Version"/> changes when
/// they do.
/// </summary>
public sealed record ClassificationReport
{
    /// <summary>The JSON format version this library writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The format version (<see cref="CurrentVersion"/> for reports made by this library).</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>The class names, index i for label i and output column i.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>Number of samples evaluated (N).</summary>
    public required long SampleCount { get; init; }

    /// <summary>Share of samples whose predicted class (first arg-max, or p above the binary threshold) is the true one.</summary>
    public required double Accuracy { get; init; }

    /// <summary>The top-k accuracies asked for in <see cref="ClassificationEvaluatorOptions.TopK"/>, in that order.</summary>
    public required IReadOnlyList<TopKAccuracy> TopK { get; init; }

    /// <summary>
    /// Mean negative natural log of the true class's probability, after clipping to [<see cref="LogLossEpsilon"/>,
    /// 1 - <see cref="LogLossEpsilon"/>] and renormalising each row (scikit-learn 1.2's <c>log_loss</c>). In nats.
    /// </summary>
    public required double LogLoss { get; init; }

    /// <summary>The clipping bound used for <see cref="LogLoss"/>.</summary>
    public required double LogLossEpsilon { get; init; }

    /// <summary>One row per class: precision, recall, F1, support.</summary>
    public required IReadOnlyList<ClassMetrics> Classes { get; init; }

    /// <summary>Unweighted mean of the classes' precision (every class counts, including ones with no samples).</summary>
    public required double MacroPrecision { get; init; }

    /// <summary>Unweighted mean of the classes' recall.</summary>
    public required double MacroRecall { get; init; }

    /// <summary>Unweighted mean of the classes' F1 (scikit-learn's macro-F1 over all labels).</summary>
    public required double MacroF1 { get; init; }

    /// <summary>Mean of the classes' precision weighted by support.</summary>
    public required double WeightedPrecision { get; init; }

    /// <summary>Mean of the classes' recall weighted by support (equal to <see cref="Accuracy"/>).</summary>
    public required double WeightedRecall { get; init; }

    /// <summary>Mean of the classes' F1 weighted by support.</summary>
    public required double WeightedF1 { get; init; }

    /// <summary>
    /// ROC AUC: for two classes, of class 1's score (<see cref="ClassNames"/>[1] is the positive class); for more, the
    /// unweighted mean of the one-vs-rest AUCs in <see cref="Classes"/> (scikit-learn's <c>multi_class="ovr"</c>,
    /// <c>average="macro"</c>). Null when not computed, or when a class involved has no positive or no negative sample.
    /// </summary>
    public double? RocAuc { get; init; }

    /// <summary>The ROC curve of a two-class task, for plotting; null otherwise, or when <see cref="RocAuc"/> is null.</summary>
    public RocCurve? RocCurve { get; init; }

    /// <summary>Counts [C][C]: <c>ConfusionMatrix[t][p]</c> samples of true class t were predicted as class p.</summary>
    public required IReadOnlyList<IReadOnlyList<long>> ConfusionMatrix { get; init; }

    /// <summary>
    /// A readable table in the layout of scikit-learn's <c>classification_report</c>, followed by top-k accuracy,
    /// log-loss, ROC AUC and the confusion matrix with class names.
    /// </summary>
    /// <param name="digits">Decimals of the ratios (default 4, 0 to 15).</param>
    /// <param name="maxConfusionClasses">
    /// Print the confusion matrix only up to this many classes (default 30), since it grows as C squared; it is
    /// always in <see cref="ConfusionMatrix"/> and the JSON.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="digits"/> is outside 0 to 15.</exception>
    public string ToText(int digits = 4, int maxConfusionClasses = 30)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(digits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digits, 15);
        return ClassificationReportText.Format(this, digits, maxConfusionClasses);
    }

    /// <inheritdoc cref="ToText"/>
    public override string ToString() => ToText();

    /// <summary>
    /// The report as JSON (UTF-16 string): camelCase property names, <c>version</c> first, nulls written, and the ROC
    /// curve's first threshold written as the string <c>"Infinity"</c> (JSON has no infinity literal).
    /// </summary>
    /// <param name="indented">Indent for reading (default) or write one line.</param>
    public string ToJson(bool indented = true) =>
        JsonSerializer.Serialize(this, indented ? EvaluationJsonContext.Default.ClassificationReport : EvaluationJsonContext.Compact.ClassificationReport);

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="TransferKitException">
    /// The text is not valid JSON, has no or an unsupported <c>version</c>, lacks a property, or its parts disagree
    /// (class names, class rows and confusion matrix of different sizes). The message says which.
    /// </exception>
    public static ClassificationReport FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        ClassificationReport? report;
        try
        {
            using (var document = JsonDocument.Parse(json))
            {
                CheckVersion(document.RootElement);
            }

            report = JsonSerializer.Deserialize(json, EvaluationJsonContext.Default.ClassificationReport);
        }
        catch (JsonException e)
        {
            throw new TransferKitException($"Classification report JSON is invalid: {e.Message}", e);
        }

        if (report is null)
        {
            throw new TransferKitException("Classification report JSON is null.");
        }

        report.CheckConsistent();
        return report;
    }

    private static void CheckVersion(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number)
        {
            throw new TransferKitException("Classification report JSON has no numeric \"version\" property at the top level.");
        }

        if (!version.TryGetInt32(out int value) || value != CurrentVersion)
        {
            throw new TransferKitException(
                $"Classification report JSON has version {version.GetRawText()}; this library reads version {CurrentVersion}.");
        }
    }

    private void CheckConsistent()
    {
        // The serializer enforces non-null properties but not non-null list elements.
        if (ClassNames.Any(string.IsNullOrWhiteSpace) || Classes.Any(c => c is null) || TopK.Any(t => t is null) || ConfusionMatrix.Any(r => r is null))
        {
            throw new TransferKitException("Classification report JSON has a null or blank entry in classNames, classes, topK or confusionMatrix.");
        }

        int classes = ClassNames.Count;
        if (classes < 2 || Classes.Count != classes || ConfusionMatrix.Count != classes || ConfusionMatrix.Any(row => row.Count != classes))
        {
            throw new TransferKitException(
                $"Classification report JSON is inconsistent: {classes} class names, {Classes.Count} class rows, " +
                $"a {ConfusionMatrix.Count}-row confusion matrix; each needs one entry per class (at least two).");
        }

        if (RocCurve is { } curve &&
            (curve.TruePositiveRates.Count != curve.FalsePositiveRates.Count || curve.Thresholds.Count != curve.FalsePositiveRates.Count))
        {
            throw new TransferKitException(
                $"Classification report JSON is inconsistent: the ROC curve has {curve.FalsePositiveRates.Count} false positive rates, " +
                $"{curve.TruePositiveRates.Count} true positive rates and {curve.Thresholds.Count} thresholds.");
        }
    }
}
