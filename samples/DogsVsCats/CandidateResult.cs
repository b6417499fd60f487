using TransferKit.Evaluation;

namespace TransferKit.Samples.DogsVsCats;

/// <summary>One row of the comparison: the trained model's metrics on each split, its training time and size.</summary>
/// <param name="Name">The candidate's name.</param>
/// <param name="Train">Metrics on the training split (after training, evaluation mode).</param>
/// <param name="Validation">Metrics on the validation split.</param>
/// <param name="Test">Metrics on the held-out test split.</param>
/// <param name="TrainingTime">Wall time of the fit, including feature caching and per-epoch validation.</param>
/// <param name="TrainableParameters">Parameters the optimizer updated.</param>
/// <param name="TotalParameters">All parameters of the network.</param>
/// <param name="BadImages">Images the training run skipped as unreadable.</param>
public sealed record CandidateResult(
    string Name,
    ClassificationReport Train,
    ClassificationReport Validation,
    ClassificationReport Test,
    TimeSpan TrainingTime,
    long TrainableParameters,
    long TotalParameters,
    int BadImages);
