namespace TransferKit.Training;

/// <summary>The outcome of one mini-batch.</summary>
/// <param name="Loss">Mean loss over the batch.</param>
/// <param name="Correct">Number of examples whose arg-max prediction equals the label.</param>
/// <param name="Count">Number of examples.</param>
public readonly record struct StepResult(float Loss, int Correct, int Count)
{
    /// <summary>Correct / Count (0 for an empty batch).</summary>
    public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;
}
