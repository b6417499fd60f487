namespace TransferKit.Training.Schedules;

/// <summary>What a schedule's counter counts: PyTorch calls <c>scheduler.step()</c> once per epoch or once per batch.</summary>
public enum ScheduleInterval
{
    /// <summary>The counter is the zero-based epoch; the rate is constant within an epoch.</summary>
    Epoch,

    /// <summary>The counter is the zero-based optimizer step since the start of training.</summary>
    Step,
}
