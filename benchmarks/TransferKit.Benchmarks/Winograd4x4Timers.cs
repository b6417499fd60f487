using TransferKit.Kernels.Convolution;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>winograd4-convs [batch] [fresh]</c>: the 3x3 stride-1 convolutions of <c>direct-convs</c> on Auto's path without
/// <see cref="Winograd4x4Conv2d"/> (<see cref="Conv2dKernel.Winograd4x4InAuto"/> off) and on it, with the weights'
/// forms kept as in folded inference (with <c>fresh</c>, prepared on every call), interleaved in one process.
/// </summary>
internal static class Winograd4x4ConvTimer
{
    public static int Run(string[] args)
    {
        var previous = Conv2dKernel.ForwardAlgorithm;
        int blockFloats = Winograd4x4Conv2d.BlockFloats;
        // block=F1,F2,...: Winograd4x4Conv2d.BlockFloats settings to compare instead of Auto's path.
        // private=F1,F2,...: Winograd4x4Conv2d.PrivateBlockFloats settings (0: blocks shared by the threads).
        int privateFloats = Winograd4x4Conv2d.PrivateBlockFloats;
        string? privateSizes = args.FirstOrDefault(a => a.StartsWith("private=", StringComparison.Ordinal));
        string[] settings = args.FirstOrDefault(a => a.StartsWith("block=", StringComparison.Ordinal)) is { } blocks
            ? [.. blocks["block=".Length..].Split(',')]
            : args.Contains("prefetch") ? ["no-prefetch", "prefetch"]
            : privateSizes is not null ? [.. privateSizes["private=".Length..].Split(',').Select(f => "p" + f)]
            : ["auto", "winograd4x4"];
        int result = ConvSettingsTimer.Run(DirectConvTimer.Shapes(args), settings, setting =>
        {
            Conv2dKernel.ForwardAlgorithm = setting == "auto" ? Conv2dForwardAlgorithm.Auto : Conv2dForwardAlgorithm.Winograd4x4;
            Conv2dKernel.Winograd4x4InAuto = false;
            Winograd4x4Conv2d.BlockFloats = int.TryParse(setting, out int floats) ? floats : blockFloats;
            int privateSetting = 0;
            bool isPrivate = setting.StartsWith('p') && int.TryParse(setting[1..], out privateSetting);
            Winograd4x4Conv2d.PrivateBlockFloats = isPrivate ? privateSetting : privateFloats;
            Winograd4x4Conv2d.PrivateBlocks = !isPrivate || Winograd4x4Conv2d.PrivateBlockFloats > 0;
            Winograd4x4Conv2d.PrefetchesNextChannel = setting != "no-prefetch";
            return null;
        }, setting => setting, keepWeights: !args.Contains("fresh"));
        Conv2dKernel.ForwardAlgorithm = previous;
        Conv2dKernel.Winograd4x4InAuto = true;
        Winograd4x4Conv2d.BlockFloats = blockFloats;
        Winograd4x4Conv2d.PrivateBlockFloats = privateFloats;
        Winograd4x4Conv2d.PrivateBlocks = true;
        Winograd4x4Conv2d.PrefetchesNextChannel = true;
        return result;
    }
}

/// <summary>
/// <c>winograd4-networks [networks] [batch]</c>: whole eval forwards in float32 with Auto free to pick
/// <see cref="Winograd4x4Conv2d"/> and without it, interleaved in one process.
/// </summary>
internal static class Winograd4x4NetworkTimer
{
    public static int Run(string[] args) =>
        NetworkSettingsTimer.Run(args, [false, true], on => Conv2dKernel.Winograd4x4InAuto = on, on => on ? "winograd 4x4" : "without");
}

/// <summary>
/// <c>transition-order-networks [networks] [batch] [bf16]</c>: whole eval forwards of DenseNet with its transitions pooling
/// before their 1x1 convolution and in torchvision's order (<see cref="TransferKit.Models.DenseTransition.UsesTorchOrder"/>), interleaved.
/// </summary>
internal static class TransitionOrderNetworkTimer
{
    public static int Run(string[] args) =>
        NetworkSettingsTimer.Run(args, [true, false], torch => TransferKit.Models.DenseTransition.UsesTorchOrder = torch,
            torch => torch ? "conv then pool" : "pool then conv");
}
