using System.Diagnostics;
using System.Globalization;
using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Tensors;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>gemm-order-convs [K,K,...]</c>: MobileNetV2 and ResNet convolutions at batch 16 (fused ReLU6 epilogue), each timed
/// with <see cref="TransferKit.Kernels.Gemm.GemmLoopOrder.RowOuterMaxK"/> set to each value in turn, interleaved in one
/// process (default 0 and 256: the slivers-outermost order everywhere, and the default rule). Median of 14 after 2 warm-ups.
/// </summary>
internal static class GemmOrderConvTimer
{
    public static int Run(string[] args)
    {
        ConvShape[] shapes =
        [
            new("f2 expand 1x1 16->96 @112", 16, 16, 96, 112, 1, 1),
            new("f2 dw 3x3 s2 96 @112", 16, 96, 96, 112, 3, 2, 96),
            new("f2 project 1x1 96->24 @56", 16, 96, 24, 56, 1, 1),
            new("f3 expand 1x1 24->144 @56", 16, 24, 144, 56, 1, 1),
            new("f3 dw 3x3 s1 144 @56", 16, 144, 144, 56, 3, 1, 144),
            new("f3 project 1x1 144->24 @56", 16, 144, 24, 56, 1, 1),
            new("mb 1x1 32->192 @28", 16, 32, 192, 28, 1, 1),
            new("mb 1x1 64->384 @14", 16, 64, 384, 14, 1, 1),
            new("mb 1x1 384->64 @14", 16, 384, 64, 14, 1, 1),
            new("mb 1x1 320->1280 @7", 16, 320, 1280, 7, 1, 1),
            new("r50 1x1 64->256 @56", 16, 64, 256, 56, 1, 1),
            new("r50 1x1 256->64 @56", 16, 256, 64, 56, 1, 1),
            new("r50 1x1 64->64 @56", 16, 64, 64, 56, 1, 1),
            new("r18 3x3 64->64 @56", 16, 64, 64, 56, 3, 1),
            new("r50 3x3 s2 128 @56", 16, 128, 128, 56, 3, 2),
        ];
        int[] settings = args.Length > 1 ? args[1].Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray() : [0, 256];
        return ConvSettingsTimer.Run(shapes, settings, k =>
        {
            TransferKit.Kernels.Gemm.GemmLoopOrder.RowOuterMaxK = k;
            return null;
        }, k => k.ToString(CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// <c>gemm-order-networks [networks] [batch]</c>: whole eval forwards (folded for inference, as Predict runs them) with
/// the slivers-outermost GEMM order everywhere against the default rule of <see cref="TransferKit.Kernels.Gemm.GemmLoopOrder"/>,
/// interleaved in one process; median of 7 after 2 warm-ups.
/// </summary>
internal static class GemmOrderNetworkTimer
{
    public static int Run(string[] args) =>
        NetworkSettingsTimer.Run(args, [0, 256], k => TransferKit.Kernels.Gemm.GemmLoopOrder.RowOuterMaxK = k, k => k == 0 ? "classic" : "row panels outermost");
}

/// <summary>
/// <c>stack-plane-networks [networks] [batch] [P,P,...]</c>: whole eval forwards with
/// <see cref="TransferKit.Kernels.Convolution.Conv2dKernel.StackBelowPlane"/> set to each value in turn (default 128 and
/// 256: whether 14x14 planes stack several images into one GEMM), interleaved in one process.
/// </summary>
internal static class StackPlaneNetworkTimer
{
    public static int Run(string[] args)
    {
        int[] settings = args.Length > 3 ? args[3].Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray() : [128, 256];
        return NetworkSettingsTimer.Run(args, settings, p => TransferKit.Kernels.Convolution.Conv2dKernel.StackBelowPlane = p,
            p => string.Create(CultureInfo.InvariantCulture, $"stack below {p} px"));
    }
}

/// <summary>
/// Whole eval forwards (folded for inference) under each setting in turn, interleaved; median of 7 after 2 warm-ups.
/// An argument <c>bf16</c> anywhere runs every setting under <see cref="TransferKit.Api.InferencePrecision.BFloat16"/>.
/// </summary>
internal static class NetworkSettingsTimer
{
    public static int Run<T>(string[] args, T[] settings, Action<T> apply, Func<T, string> label)
    {
        using var precision = args.Contains("bf16")
            ? TransferKit.Api.InferencePrecisionSupport.Enter(TransferKit.Api.InferencePrecision.BFloat16)
            : null;
        args = [.. args.Where(a => a != "bf16")];
        string[] networks = args.Length > 1 ? args[1].Split(',') : ["mobilenet_v2", "resnet50", "resnet18", "efficientnet_b0", "densenet121", "inception_v3"];
        int batch = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;
        foreach (string name in networks)
        {
            var info = TransferKit.Models.Architectures.Get(name);
            using var model = info.CreateImageNet();
            model.Eval();
            using var folding = TransferKit.Models.Inference.BatchNormFolding.FoldForInference(model);
            int size = info.Preprocessing.InputSize;
            var random = new Random(7);
            var pixels = new float[batch * 3 * size * size];
            for (int i = 0; i < pixels.Length; i++) pixels[i] = (float)(random.NextDouble() * 4 - 2);
            using var x = Tensor.FromArray(pixels, batch, 3, size, size);
            var t = settings.Select(_ => new List<double>()).ToArray();
            for (int i = 0; i < 9; i++)
            {
                for (int v = 0; v < settings.Length; v++)
                {
                    apply(settings[v]);
                    using var noGrad = GradMode.NoGrad();
                    var c = Stopwatch.StartNew();
                    using var y = model.Forward(x);
                    if (i >= 2) t[v].Add(c.Elapsed.TotalMilliseconds);
                }
            }
            var m = t.Select(l => { l.Sort(); return l[l.Count / 2]; }).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-16} batch {batch}: ")
                + string.Join(", ", m.Select((ms, v) => string.Create(CultureInfo.InvariantCulture, $"{label(settings[v])} {batch * 1000 / ms:F1} img/s")))
                + string.Create(CultureInfo.InvariantCulture, $", x{m[0] / m[^1]:F2}"));
        }
        apply(settings[0]);
        return 0;
    }
}
