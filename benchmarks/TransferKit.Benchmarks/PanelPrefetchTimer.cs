using TransferKit.Kernels.Gemm;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>panel-prefetch-networks [networks] [batch] [distance]</c>: whole networks with products on kept weight panels asking
/// for the panels ahead (<see cref="BlockedGemm{TKernel}.PrefetchesPanels"/>) or not, interleaved in one process.
/// </summary>
internal static class PanelPrefetchTimer
{
    public static int Run(string[] args)
    {
        if (args.Length > 3) BlockedGemm<MicroKernel512>.PanelPrefetchDistance = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
        return NetworkSettingsTimer.Run(args.Take(3).ToArray(), [false, true], on => BlockedGemm<MicroKernel512>.PrefetchesPanels = on,
            on => on ? "panels asked for ahead" : "no panel prefetch");
    }
}
