using System.Globalization;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;
using TransferKit.Kernels.Pooling;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>stem-pool [batch]</c>: the ResNet and DenseNet stem (7x7 stride-2 convolution with ReLU, then a 3x3 stride-2 max
/// pool) and Inception-v3's Conv2d_2b_3x3 with maxpool1, with the pool inside the convolution (<see cref="Conv2dKernel.ForwardFusedMaxPool"/>) or after it, interleaved
/// in one process, weights kept as folded inference keeps them; <c>stem-pool-networks [networks] [batch]</c> the same
/// switch (<see cref="Conv2dKernel.PoolsInsideConvolution"/>) on whole networks.
/// </summary>
internal static unsafe class StemPoolTimer
{
    public static int RunStem(string[] args)
    {
        int batch = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
        Time("resnet stem", new Conv2dGeometry(batch, 3, 224, 224, 64, 7, 7, 2, 2, 3, 3), new Pool2dGeometry(batch, 64, 112, 112, 3, 3, 2, 2, 1, 1));
        Time("inception Conv2d_2b_3x3", new Conv2dGeometry(batch, 32, 147, 147, 64, 3, 3, 1, 1, 1, 1), new Pool2dGeometry(batch, 64, 147, 147, 3, 3, 2, 2));
        return 0;
    }

    private static void Time(string name, Conv2dGeometry g, Pool2dGeometry p)
    {
        var random = new Random(1);
        float[] x = new float[g.InputLength], w = new float[g.WeightLength], b = new float[g.OutChannels];
        for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble() - 0.5f;
        for (int i = 0; i < w.Length; i++) w[i] = (float)random.NextDouble() - 0.5f;
        float[] y = new float[g.OutputLength], apart = new float[p.Planes * p.OutHeight * p.OutWidth], inside = new float[apart.Length];
        using var kept = new PreparedConvWeights();
        fixed (float* px = x, pw = w, pb = b, py = y, pa = apart, pi = inside)
        {
            float* ix = px, iw = pw, ib = pb, iy = py, ia = pa, ii = pi;
            using var scope = kept.Use(iw);
            for (int round = 0; round < 3; round++)
            {
                double after = RepeatedTimer.MedianMilliseconds(2, () =>
                {
                    Conv2dKernel.ForwardFused(g, ix, iw, ib, iy, ActivationKind.ReLU, null);
                    MaxPool2dKernel.ForwardValues(p, iy, ia);
                });
                double fused = RepeatedTimer.MedianMilliseconds(2, () => Conv2dKernel.ForwardFusedMaxPool(g, p, ix, iw, ib, ii, ActivationKind.ReLU));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name} at batch {g.Batch}: pool after {after:F2} ms, pool inside {fused:F2} ms, {after / fused:F2}x"));
            }
        }
        if (!apart.AsSpan().SequenceEqual(inside)) throw new InvalidOperationException($"The fused {name} gave other values.");
    }

    public static int RunNetworks(string[] args) =>
        NetworkSettingsTimer.Run(args, [false, true], on => Conv2dKernel.PoolsInsideConvolution = on, on => on ? "pool inside" : "pool after");
}
