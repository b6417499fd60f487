using TransferKit.Data.Datasets;

namespace TransferKit.Samples.DogsVsCats;

/// <summary>What one comparison produced.</summary>
/// <param name="Rows">One row per candidate, in training order.</param>
/// <param name="Best">The row with the best validation accuracy (the first on ties).</param>
/// <param name="ModelPath">Where the best model was saved (.safetensors, loadable with TrainedModel.Load).</param>
/// <param name="Predictions">The best model's predictions for a few test images.</param>
/// <param name="BadImages">Unreadable images the first run skipped, or null when there were none.</param>
public sealed record ComparisonResult(
    IReadOnlyList<CandidateResult> Rows,
    CandidateResult Best,
    string ModelPath,
    IReadOnlyList<SamplePrediction> Predictions,
    BadImageReport? BadImages);
