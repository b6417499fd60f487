namespace TransferKit.Training.Callbacks;

/// <summary>What the fit loop is doing when it reports progress.</summary>
public enum TrainingPhase
{
    /// <summary>Computing the frozen prefix's outputs once for the activation cache.</summary>
    CachingFeatures,

    /// <summary>Training batches: forward, backward, optimizer step.</summary>
    Training,

    /// <summary>Validation batches: forward only.</summary>
    Validation,
}
