using System.Diagnostics;
using System.Globalization;
using TransferKit.Api;
using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;
using TransferKit.Tensors;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>bf16-convs [winograd|im2col]</c>: ResNet and MobileNetV2 convolutions at batch 16 (fused ReLU epilogue) in float32
/// and in bfloat16 (<see cref="InferencePrecision.BFloat16"/>), interleaved in one process; median of 10 after 2
/// warm-ups, with the ratio. Shows where the bfloat16 products pay and where the rest of the convolution (packing,
/// transforms, im2col) dominates.
/// </summary>
internal static class BFloat16ConvTimer
{
    public static int Run(string[] args)
    {
        if (args.Length > 1) Conv2dKernel.ForwardAlgorithm = Conv2dKernel.ParseAlgorithm(args[1]);
        int bf16RowOuterMaxK = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : TransferKit.Kernels.Gemm.GemmLoopOrder.RowOuterMaxK;
        int defaultRowOuterMaxK = TransferKit.Kernels.Gemm.GemmLoopOrder.RowOuterMaxK;
        if (args.Length > 3) TransferKit.Kernels.Parallelism.DegreeOfParallelism = int.Parse(args[3], CultureInfo.InvariantCulture);
        (string Name, int N, int Cin, int Cout, int H, int K, int S)[] shapes =
        [
            ("r50 1x1 64->256 @56", 16, 64, 256, 56, 1, 1),
            ("r50 1x1 256->64 @56", 16, 256, 64, 56, 1, 1),
            ("r50 3x3 64->64 @56", 16, 64, 64, 56, 3, 1),
            ("r50 3x3 s2 128 @56", 16, 128, 128, 56, 3, 2),
            ("r50 3x3 128 @28", 16, 128, 128, 28, 3, 1),
            ("r50 1x1 512->128 @28", 16, 512, 128, 28, 1, 1),
            ("r50 3x3 256 @14", 16, 256, 256, 14, 3, 1),
            ("r50 1x1 1024->256 @14", 16, 1024, 256, 14, 1, 1),
            ("r50 3x3 512 @7", 16, 512, 512, 7, 3, 1),
            ("r50 1x1 2048->512 @7", 16, 2048, 512, 7, 1, 1),
            ("r50 stem 7x7 s2 3->64 @224", 16, 3, 64, 224, 7, 2),
            ("mb 1x1 16->96 @112", 16, 16, 96, 112, 1, 1),
            ("mb 1x1 32->192 @28", 16, 32, 192, 28, 1, 1),
            ("mb 1x1 320->1280 @7", 16, 320, 1280, 7, 1, 1),
        ];
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var random = new Random(3);
        Tensor Rand(params int[] d) { var a = new float[d.Aggregate(1, (x, y) => x * y)]; for (int i = 0; i < a.Length; i++) a[i] = (float)(random.NextDouble() - 0.5); return Tensor.FromArray(a, d); }
        InferencePrecision[] precisions = [InferencePrecision.Float32, InferencePrecision.BFloat16];
        if (!InferencePrecisionSupport.IsAvailable(InferencePrecision.BFloat16))
        {
            Console.Error.WriteLine($"bfloat16 is unavailable here: {InferencePrecisionSupport.UnavailableReason(InferencePrecision.BFloat16)}");
            return 1;
        }
        foreach (var s in shapes)
        {
            var x = Rand(s.N, s.Cin, s.H, s.H);
            var w = Rand(s.Cout, s.Cin, s.K, s.K);
            var b = Rand(s.Cout);
            var o = new Conv2dOptions(s.S, s.S, s.K / 2, s.K / 2, 1, 1, 1);
            var t = precisions.Select(_ => new List<double>()).ToArray();
            Tensor? y = null;
            for (int i = 0; i < 12; i++)
            {
                for (int v = 0; v < precisions.Length; v++)
                {
                    y?.Dispose();
                    using var precision = InferencePrecisionSupport.Enter(precisions[v]);
                    TransferKit.Kernels.Gemm.GemmLoopOrder.RowOuterMaxK = v == 1 ? bf16RowOuterMaxK : defaultRowOuterMaxK;
                    var c = Stopwatch.StartNew();
                    y = Ops.Conv2dActivation(x, w, b, o, ActivationKind.ReLU);
                    if (i >= 2) t[v].Add(c.Elapsed.TotalMilliseconds);
                }
            }
            var medians = t.Select(l => { l.Sort(); return l[l.Count / 2]; }).ToArray();
            int oh = y!.Shape[2];
            double flops = 2.0 * s.N * s.Cout * oh * oh * s.Cin * s.K * s.K;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{s.Name,-28} fp32 {medians[0],7:F2} ms {flops / medians[0] / 1e6,6:F1} GF/s   bf16 {medians[1],7:F2} ms {flops / medians[1] / 1e6,6:F1} GF/s   x{medians[0] / medians[1]:F2}"));
        }
        return 0;
    }
}
