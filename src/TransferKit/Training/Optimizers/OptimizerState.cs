namespace TransferKit.Training.Optimizers;

/// <summary>
/// An optimizer's state keyed by parameter name, so it survives a process restart and a rebuilt network: per-parameter
/// buffers under <c>"{parameter}/{slot}"</c> (PyTorch's slot names: <c>momentum_buffer</c>, <c>exp_avg</c>,
/// <c>exp_avg_sq</c>), per-parameter counters under the same scheme (<c>step</c>), and the optimizer's step count.
/// </summary>
public sealed class OptimizerState
{
    /// <summary>Float buffers by <c>"{parameter}/{slot}"</c>, each as long as its parameter.</summary>
    public Dictionary<string, float[]> Buffers { get; } = new(StringComparer.Ordinal);

    /// <summary>Integer counters by <c>"{parameter}/{slot}"</c> (Adam's per-parameter step).</summary>
    public Dictionary<string, long> Counters { get; } = new(StringComparer.Ordinal);

    /// <summary>The optimizer's <see cref="Optimizer.StepCount"/>.</summary>
    public long StepCount { get; set; }

    /// <summary>The key of <paramref name="slot"/> of parameter <paramref name="parameter"/>.</summary>
    public static string Key(string parameter, string slot) => $"{parameter}/{slot}";
}
