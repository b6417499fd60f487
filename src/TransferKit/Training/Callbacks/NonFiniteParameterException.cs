namespace TransferKit.Training.Callbacks;

/// <summary>
/// A parameter became NaN or infinite during an epoch: training diverged. Thrown before the epoch's checkpoint is written,
/// so the newest checkpoint on disk is still the last one whose weights are finite.
/// </summary>
public sealed class NonFiniteParameterException : TransferKitException
{
    /// <summary>Creates the error for <paramref name="parameter"/> after <paramref name="epochsCompleted"/> epochs.</summary>
    public NonFiniteParameterException(string parameter, int epochsCompleted)
        : base($"The parameter '{parameter}' is NaN or infinite after epoch {epochsCompleted} (1-based): training diverged, and no checkpoint " +
               "was written for this epoch. Try a lower learning rate, and check the inputs and labels.")
    {
        Parameter = parameter;
        EpochsCompleted = epochsCompleted;
    }

    /// <summary>The state-dict name of the first non-finite parameter or buffer.</summary>
    public string Parameter { get; }

    /// <summary>Epochs finished when it was found.</summary>
    public int EpochsCompleted { get; }
}
