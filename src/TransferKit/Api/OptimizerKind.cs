namespace TransferKit.Api;

/// <summary>The optimizer a trainer builds.</summary>
public enum OptimizerKind
{
    /// <summary>SGD with momentum (<see cref="TrainingOptions.Momentum"/>) and L2 weight decay.</summary>
    Sgd,

    /// <summary>Adam with L2 weight decay.</summary>
    Adam,

    /// <summary>Adam with decoupled weight decay.</summary>
    AdamW,
}
