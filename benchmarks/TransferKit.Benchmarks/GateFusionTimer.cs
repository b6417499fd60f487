using TransferKit.Models;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>gate-fusion-networks [networks] [batch] [bf16]</c>: EfficientNet with each MBConv's squeeze-and-excitation gate and
/// residual add inside its projection's kernel (<see cref="MBConv.FusesGateAndResidual"/>) or as separate passes,
/// interleaved in one process.
/// </summary>
internal static class GateFusionTimer
{
    public static int Run(string[] args) =>
        NetworkSettingsTimer.Run(args.Length > 1 ? args : [.. args, "efficientnet_b0"], [false, true], fuses => MBConv.FusesGateAndResidual = fuses,
            fuses => fuses ? "gate and add in the projection" : "separate passes");
}
