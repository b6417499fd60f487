namespace TransferKit.Benchmarks;

/// <summary>
/// <c>dense-growth-networks [networks] [batch]</c>: whole networks (DenseNet-121 by default) with each dense block's
/// features grown in one preallocated tensor or concatenated layer by layer
/// (<see cref="TransferKit.Models.DenseBlock.GrowsInPlace"/>), interleaved in one process.
/// </summary>
internal static class DenseGrowthTimer
{
    public static int Run(string[] args) =>
        NetworkSettingsTimer.Run(args.Length > 1 ? args : [.. args, "densenet121"], [false, true],
            inPlace => TransferKit.Models.DenseBlock.GrowsInPlace = inPlace, inPlace => inPlace ? "grown in place" : "concatenated");
}
