namespace TransferKit.Training.Schedules;

/// <summary>How <see cref="OneCycleSchedule"/> moves between its phase end points (PyTorch's <c>anneal_strategy</c>).</summary>
public enum AnnealStrategy
{
    /// <summary>Half a cosine: <c>end + (start - end) * (1 + cos(pi * pct)) / 2</c> (PyTorch's "cos", the default).</summary>
    Cosine,

    /// <summary>A straight line: <c>start + (end - start) * pct</c> (PyTorch's "linear").</summary>
    Linear,
}
