namespace TransferKit.Cli.Tests;

/// <summary>Standard error that cancels the run the moment a line starting with <paramref name="trigger"/> is written, as Ctrl+C would.</summary>
internal sealed class CancellingWriter(string trigger, CancellationTokenSource cancel) : StringWriter
{
    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        if (value?.StartsWith(trigger, StringComparison.Ordinal) == true) cancel.Cancel();
    }
}
