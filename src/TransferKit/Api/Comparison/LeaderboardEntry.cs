namespace TransferKit.Api;

/// <summary>One candidate's row in a <see cref="Leaderboard"/>.</summary>
/// <param name="Name">The candidate's name.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation set, in [0, 1].</param>
/// <param name="TrainTime">Wall time of <see cref="ImageClassifierTrainer.FitAsync"/> (activation caching included).</param>
/// <param name="TrainableParameters">Parameters that trained (head included).</param>
/// <param name="TotalParameters">All parameters (BatchNorm statistics excluded).</param>
/// <param name="ModelFileBytes">Size of the saved model file.</param>
/// <param name="InferenceMillisecondsPerImage">Wall time of evaluating the validation set (decode, preprocess, forward) per image.</param>
public sealed record LeaderboardEntry(
    string Name,
    double ValidationAccuracy,
    TimeSpan TrainTime,
    long TrainableParameters,
    long TotalParameters,
    long ModelFileBytes,
    double InferenceMillisecondsPerImage);
