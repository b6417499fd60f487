using TransferKit.Evaluation;
using TransferKit.Training.Callbacks;

namespace TransferKit.Samples.Cifar10;

/// <summary>What one run produced: the training history, the test report and where the model was saved.</summary>
/// <param name="Training">Per-epoch losses and accuracies.</param>
/// <param name="Test">The evaluation on the held-out test set.</param>
/// <param name="TrainableParameters">Parameters the optimizer updated.</param>
/// <param name="TotalParameters">All parameters of ResNet-50 and the head.</param>
/// <param name="ModelPath">The saved model.</param>
public sealed record Cifar10Result(TrainingResult Training, ClassificationReport Test, long TrainableParameters, long TotalParameters, string ModelPath);
