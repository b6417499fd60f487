namespace TransferKit.Training.Callbacks;

/// <summary>
/// Something about a run that will make it learn poorly, found while it trains: passed to
/// <see cref="ITrainingCallback.OnWarning"/> when found (the console log prints it) and kept in
/// <see cref="TrainingResult.Warnings"/>. Training goes on.
/// </summary>
/// <param name="Kind">What the warning is about.</param>
/// <param name="Message">One sentence for people: what was seen, and what usually causes it.</param>
public sealed record TrainingWarning(TrainingWarningKind Kind, string Message)
{
    /// <summary>Formats as <c>warning: </c> and the message.</summary>
    public override string ToString() => "warning: " + Message;
}
