using TransferKit.Evaluation;

namespace TransferKit.Samples.FashionMnist;

/// <summary>One row of the table: a trained model's test metrics, its wall time and how many parameters it trained.</summary>
/// <param name="Name">The run's name.</param>
/// <param name="Test">The evaluation on the held-out test set.</param>
/// <param name="Time">Wall time of training (feature caching and per-epoch validation included) and of the test evaluation.</param>
/// <param name="TrainableParameters">Parameters the optimizer updated (for the fine-tune, in its second phase).</param>
/// <param name="TotalParameters">All parameters of the network.</param>
public sealed record FashionMnistRow(string Name, ClassificationReport Test, TimeSpan Time, long TrainableParameters, long TotalParameters);
