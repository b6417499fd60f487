// Trains the baseline CNN from scratch through the builder the README recommends, on your --data folder or, offline,
// on synthetic images; prints the network's summary, one line per epoch and the validation report. See --help.
using TransferKit.Samples.BaselineCnn;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
try
{
    return await BaselineSample.RunAsync(args, Console.Out, Console.Error, cancellation.Token);
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}
