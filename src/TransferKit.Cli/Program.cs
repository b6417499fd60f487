// The transferkit command line. Everything lives in CliApp; this file wires the console and Ctrl+C to it.
using TransferKit.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C cancels cleanly (training stops within one batch, exit code 130); a second one kills at once.
    if (cancellation.IsCancellationRequested) return;
    e.Cancel = true;
    cancellation.Cancel();
};
return await CliApp.RunAsync(args, Console.Out, Console.Error, cancellation.Token);
