namespace TransferKit.Training.EarlyStopping;

/// <summary>What the fit loop should do after an epoch, as decided by <see cref="EarlyStoppingTracker"/>.</summary>
public enum EarlyStoppingDecision
{
    /// <summary>The epoch is the new best: continue, and snapshot the weights if they are to be restored.</summary>
    Improved,

    /// <summary>No improvement, but patience is not exhausted: continue.</summary>
    Wait,

    /// <summary>Patience is exhausted: stop (and restore the best weights if asked).</summary>
    Stop,
}
