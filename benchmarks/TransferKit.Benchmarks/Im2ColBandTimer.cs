using TransferKit.Kernels.Convolution;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>im2col-bands</c>: convolutions with large im2col matrices (Inception-v3's stem, the 7x7 and 3x3 stride-2 stems) built
/// and multiplied whole or in bands of output rows (<see cref="Conv2dKernel.Im2ColBandRows"/>) from a matrix of 4 MiB or
/// 16 MiB up, im2col forced, weights kept, interleaved in one process (<c>im2col-bands [band=F] [from=F,F]</c>: bands of F
/// floats, from the given matrix sizes in floats); <c>im2col-bands-networks [networks] [batch]</c> whole networks with and
/// without bands.
/// </summary>
internal static class Im2ColBandTimer
{
    private static readonly long[] Thresholds = [long.MaxValue, 1L << 20, 1L << 22];

    public static int RunConvs(string[] args)
    {
        ConvShape[] shapes =
        [
            new("inception 3x3 32->32 @147", 16, 32, 32, 147, 3, 1),
            new("inception 3x3 32->64 @147", 16, 32, 64, 147, 3, 1),
            new("inception 3x3 80->192 @71", 16, 80, 192, 71, 3, 1),
            new("resnet 7x7 3->64 /2 @224", 16, 3, 64, 224, 7, 2),
            new("mobilenet 3x3 3->32 /2 @224", 16, 3, 32, 224, 3, 2),
            new("resnet 3x3 128->128 /2 @56", 16, 128, 128, 56, 3, 2),
        ];
        if (args.FirstOrDefault(a => a.StartsWith("band=", StringComparison.Ordinal)) is { } band)
            Conv2dKernel.Im2ColBandFloats = int.Parse(band[5..], System.Globalization.CultureInfo.InvariantCulture);
        long[] thresholds = args.FirstOrDefault(a => a.StartsWith("from=", StringComparison.Ordinal)) is { } from
            ? [long.MaxValue, .. from[5..].Split(',').Select(t => long.Parse(t, System.Globalization.CultureInfo.InvariantCulture))]
            : Thresholds;
        return ConvSettingsTimer.Run(shapes, thresholds, Enter, Label, keepWeights: true);
    }

    public static int RunNetworks(string[] args) =>
        NetworkSettingsTimer.Run(args, [long.MaxValue, 1L << 20], threshold => Conv2dKernel.Im2ColBandMinFloats = threshold, Label);

    private static IDisposable? Enter(long threshold)
    {
        Conv2dKernel.Im2ColBandMinFloats = threshold;
        return new ForcedIm2Col();
    }

    private static string Label(long threshold) => threshold == long.MaxValue ? "whole" : $"bands from {threshold * 4 >> 10} KiB";

    /// <summary>Forces im2col for the shapes, as Auto takes it where the direct kernel does not run (AVX2).</summary>
    private sealed class ForcedIm2Col : IDisposable
    {
        private readonly Conv2dForwardAlgorithm _saved = Conv2dKernel.ForwardAlgorithm;

        public ForcedIm2Col() => Conv2dKernel.ForwardAlgorithm = Conv2dForwardAlgorithm.Im2Col;

        public void Dispose() => Conv2dKernel.ForwardAlgorithm = _saved;
    }
}
