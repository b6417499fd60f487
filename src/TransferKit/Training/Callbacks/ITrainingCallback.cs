namespace TransferKit.Training.Callbacks;

/// <summary>
/// Hooks the fit loop calls as training proceeds. Every method has an empty default, so a callback implements only
/// what it needs. Calls come from the training thread, in this order: <see cref="OnTrainBegin"/>, then per epoch
/// <see cref="OnEpochBegin"/>, <see cref="OnBatchEnd"/> after each batch of each phase, <see cref="OnEpochEnd"/>, and
/// finally <see cref="OnTrainEnd"/> (also after early stopping). An exception thrown by a callback ends the fit.
/// </summary>
public interface ITrainingCallback
{
    /// <summary>Called once before the first epoch.</summary>
    void OnTrainBegin(TrainingStart start) { }

    /// <summary>Called before each epoch's first batch.</summary>
    void OnEpochBegin(EpochStart epoch) { }

    /// <summary>Called after each batch (training, validation or feature caching; see <see cref="TrainingProgress.Phase"/>).</summary>
    void OnBatchEnd(TrainingProgress progress) { }

    /// <summary>Called after each epoch, with its metrics.</summary>
    void OnEpochEnd(EpochResult result) { }

    /// <summary>
    /// Called when the run finds something that will make it learn poorly (<see cref="TrainingWarning"/>), as soon as it is
    /// found: after <see cref="OnTrainBegin"/>, or after the first batch's features are computed. Training goes on; the
    /// warnings are also in <see cref="TrainingResult.Warnings"/>.
    /// </summary>
    void OnWarning(TrainingWarning warning) { }

    /// <summary>Called once when training ends normally or early; not called when it fails.</summary>
    void OnTrainEnd(TrainingResult result) { }
}
