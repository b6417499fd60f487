namespace TransferKit.Training.Checkpoints;

/// <summary>The result of <see cref="TrainingCheckpoint.FindLatest"/>: the newest checkpoint that verified, and the newer ones that did not.</summary>
/// <param name="Path">The newest valid checkpoint, or null when the folder holds none.</param>
/// <param name="Skipped">Newer checkpoint files that failed verification (corrupt, truncated, non-finite), newest first, each naming its file and reason.</param>
public sealed record LatestCheckpoint(string? Path, IReadOnlyList<CheckpointException> Skipped);
