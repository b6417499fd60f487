namespace TransferKit.Evaluation;

/// <summary>The share of samples whose true class is among the <paramref name="K"/> highest scores.</summary>
/// <param name="K">How many of the highest-scoring classes count (at least 1).</param>
/// <param name="Accuracy">The share in [0, 1]; 1 when <paramref name="K"/> is at least the class count.</param>
public sealed record TopKAccuracy(int K, double Accuracy);
