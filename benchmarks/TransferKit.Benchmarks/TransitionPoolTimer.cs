using TransferKit.Models;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>transition-pool-networks [networks] [batch]</c>: DenseNet with its transitions' batch norm and ReLU applied inside
/// the 2x2 pool (<see cref="DenseTransition.NormalizesInPool"/>) or as a pass of their own, interleaved in one process.
/// </summary>
internal static class TransitionPoolTimer
{
    public static int Run(string[] args) =>
        NetworkSettingsTimer.Run(args.Length > 1 ? args : [.. args, "densenet121"], [false, true], inPool => DenseTransition.NormalizesInPool = inPool,
            inPool => inPool ? "normalised in the pool" : "normalised first");
}
