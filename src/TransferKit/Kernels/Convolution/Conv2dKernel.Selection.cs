namespace TransferKit.Kernels.Convolution;

/// <summary>The choice between Winograd and im2col for the forward pass of 3x3 stride-1 convolutions.</summary>
public static partial class Conv2dKernel
{
    /// <summary>The environment variable that forces a forward algorithm: <c>auto</c> (default), <c>im2col</c> or <c>winograd</c>.</summary>
    internal const string AlgorithmVariable = "TRANSFERKIT_CONV";

    private static Conv2dForwardAlgorithm? s_algorithm;

    /// <summary>
    /// The forward algorithm for geometries <see cref="WinogradConv2d"/> supports. Read from <c>TRANSFERKIT_CONV</c> on
    /// first use; tests and benchmarks set it directly.
    /// </summary>
    /// <exception cref="TransferKitException">On first read, the variable names no algorithm.</exception>
    internal static Conv2dForwardAlgorithm ForwardAlgorithm
    {
        get => s_algorithm ??= ParseAlgorithm(Environment.GetEnvironmentVariable(AlgorithmVariable));
        set => s_algorithm = value;
    }

    /// <summary>Fewest input and output channels for which Winograd wins in <see cref="Conv2dForwardAlgorithm.Auto"/>.</summary>
    internal static int WinogradMinChannels { get; set; } = 32;

    /// <summary>Smallest output plane side for which Winograd wins in <see cref="Conv2dForwardAlgorithm.Auto"/>.</summary>
    internal static int WinogradMinPlaneSide { get; set; } = 6;

    /// <summary>The algorithm named by <paramref name="value"/> (case and surrounding spaces ignored; null or empty is auto).</summary>
    /// <exception cref="TransferKitException">The value names no algorithm.</exception>
    internal static Conv2dForwardAlgorithm ParseAlgorithm(string? value) =>
        (value ?? "").Trim().ToLowerInvariant() switch
        {
            "" or "auto" => Conv2dForwardAlgorithm.Auto,
            "im2col" => Conv2dForwardAlgorithm.Im2Col,
            "winograd" => Conv2dForwardAlgorithm.Winograd,
            _ => throw new TransferKitException($"{AlgorithmVariable}='{value}' is not a convolution algorithm; use auto, im2col or winograd."),
        };

    /// <summary>Whether <see cref="Forward"/> takes the Winograd path for <paramref name="g"/> under <see cref="ForwardAlgorithm"/>.</summary>
    internal static bool UsesWinograd(in Conv2dGeometry g) =>
        WinogradConv2d.Supports(g) && ForwardAlgorithm switch
        {
            Conv2dForwardAlgorithm.Winograd => true,
            Conv2dForwardAlgorithm.Auto => PrefersWinograd(g),
            _ => false,
        };

    /// <summary>
    /// The measured rule for <see cref="Conv2dForwardAlgorithm.Auto"/>: Winograd when both channel counts reach
    /// <see cref="WinogradMinChannels"/> and the output plane is at least <see cref="WinogradMinPlaneSide"/> on each side.
    /// </summary>
    internal static bool PrefersWinograd(in Conv2dGeometry g) =>
        Math.Min(g.InChannels, g.OutChannels) >= WinogradMinChannels
        && Math.Min(g.OutHeight, g.OutWidth) >= WinogradMinPlaneSide;
}
