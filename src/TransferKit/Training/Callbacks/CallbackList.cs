namespace TransferKit.Training.Callbacks;

/// <summary>
/// Calls several callbacks in the order they were added; the fit loop talks to this one. An exception from a callback
/// propagates at once, and the callbacks after it are not called for that event.
/// </summary>
public sealed class CallbackList : ITrainingCallback
{
    private readonly List<ITrainingCallback> _callbacks = [];

    /// <summary>Creates a list of <paramref name="callbacks"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="callbacks"/> or one of them is null.</exception>
    public CallbackList(IEnumerable<ITrainingCallback> callbacks)
    {
        ArgumentNullException.ThrowIfNull(callbacks);
        foreach (var c in callbacks) Add(c);
    }

    /// <summary>Creates a list of <paramref name="callbacks"/>.</summary>
    /// <exception cref="ArgumentNullException">A callback is null.</exception>
    public CallbackList(params ITrainingCallback[] callbacks) : this((IEnumerable<ITrainingCallback>)callbacks) { }

    /// <summary>The callbacks in call order.</summary>
    public IReadOnlyList<ITrainingCallback> Callbacks => _callbacks;

    /// <summary>Appends <paramref name="callback"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="callback"/> is null.</exception>
    public void Add(ITrainingCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        _callbacks.Add(callback);
    }

    /// <inheritdoc />
    public void OnTrainBegin(TrainingStart start)
    {
        foreach (var c in _callbacks) c.OnTrainBegin(start);
    }

    /// <inheritdoc />
    public void OnEpochBegin(EpochStart epoch)
    {
        foreach (var c in _callbacks) c.OnEpochBegin(epoch);
    }

    /// <inheritdoc />
    public void OnBatchEnd(TrainingProgress progress)
    {
        foreach (var c in _callbacks) c.OnBatchEnd(progress);
    }

    /// <inheritdoc />
    public void OnEpochEnd(EpochResult result)
    {
        foreach (var c in _callbacks) c.OnEpochEnd(result);
    }

    /// <inheritdoc />
    public void OnWarning(TrainingWarning warning)
    {
        foreach (var c in _callbacks) c.OnWarning(warning);
    }

    /// <inheritdoc />
    public void OnTrainEnd(TrainingResult result)
    {
        foreach (var c in _callbacks) c.OnTrainEnd(result);
    }
}
