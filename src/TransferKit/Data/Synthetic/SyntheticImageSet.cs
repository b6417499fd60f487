namespace TransferKit.Data.Synthetic;

/// <summary>What <see cref="SyntheticImageTask.Write"/> wrote.</summary>
/// <param name="Root">The folder written to.</param>
/// <param name="TrainDirectory">The labelled images' folder: Root itself (folder per class) or Root/train (Kaggle).</param>
/// <param name="TestDirectory">Root/test1 when unlabelled images were written, otherwise null.</param>
/// <param name="ClassNames">The task's classes in label order.</param>
/// <param name="Files">Every labelled file, ordered by class then number.</param>
/// <param name="Labels">The label of each of <paramref name="Files"/>.</param>
/// <param name="UnlabeledFiles">The unlabelled files (test1/1.jpg, ...).</param>
/// <param name="UnlabeledLabels">The true class of each unlabelled file, for scoring predictions.</param>
public sealed record SyntheticImageSet(
    string Root,
    string TrainDirectory,
    string? TestDirectory,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<string> Files,
    IReadOnlyList<int> Labels,
    IReadOnlyList<string> UnlabeledFiles,
    IReadOnlyList<int> UnlabeledLabels);
