using System.Globalization;
using TransferKit.Kernels.Convolution;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>conv-backward [seconds] [side-by-side|as-forward] [baseline]</c>: the input and weight gradients of the
/// convolutions that train in the ResNet-50 fine-tune step (its last stage, 7x7 and 14x14 planes, batch 16), or with
/// <c>baseline</c> in the baseline CNN's step (batch 32, 128x128 images), each kernel timed alone, printing median
/// milliseconds and GFLOP/s (a gradient costs the forward's FLOPs): where the backward half of the step goes. With
/// <c>side-by-side</c> or <c>as-forward</c>, each shape runs with <see cref="Conv2dKernel.SideBySideImages"/> or
/// <see cref="Conv2dKernel.BackwardDataAsForward"/> off and on, interleaved.
/// </summary>
internal static unsafe class BackwardConvTimer
{
    public static int Run(string[] args)
    {
        double seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 1.5;
        var options = args.Skip(2).ToArray();
        Action<bool>? toggle = options.Contains("side-by-side") ? on => Conv2dKernel.SideBySideImages = on
            : options.Contains("as-forward") ? on => Conv2dKernel.BackwardDataAsForward = on : null;
        bool[] settings = toggle is null ? [true] : [false, true, false, true];
        bool savedSideBySide = Conv2dKernel.SideBySideImages, savedAsForward = Conv2dKernel.BackwardDataAsForward;
        ConvShape[] shapes = options.Contains("baseline") ?
        [
            new("baseline 3x3 32->64 @64", 32, 32, 64, 64, 3, 1),
            new("baseline 3x3 64->128 @32", 32, 64, 128, 32, 3, 1),
            new("baseline 3x3 128->256 @16", 32, 128, 256, 16, 3, 1),
        ] :
        [
            new("r50 1x1 1024->512 @14", 16, 1024, 512, 14, 1, 1),
            new("r50 3x3 s2 512 @14", 16, 512, 512, 14, 3, 2),
            new("r50 1x1 s2 1024->2048 @14", 16, 1024, 2048, 14, 1, 2),
            new("r50 1x1 2048->512 @7", 16, 2048, 512, 7, 1, 1),
            new("r50 3x3 512 @7", 16, 512, 512, 7, 3, 1),
            new("r50 1x1 512->2048 @7", 16, 512, 2048, 7, 1, 1),
        ];
        foreach (var s in shapes)
        {
            var g = new Conv2dGeometry(s.N, s.Cin, s.H, s.H, s.Cout, s.K, s.K, s.S, s.S, s.K / 2, s.K / 2, Groups: s.G);
            var random = new Random(3);
            float[] Rand(int length)
            {
                var a = new float[length];
                for (int i = 0; i < a.Length; i++) a[i] = (float)(random.NextDouble() - 0.5);
                return a;
            }

            float[] x = Rand(g.InputLength), w = Rand(g.WeightLength), dy = Rand(g.OutputLength);
            float[] dx = new float[g.InputLength], dw = new float[g.WeightLength];
            fixed (float* px = x, pw = w, pdy = dy, pdx = dx, pdw = dw)
            {
                float* ix = px, iw = pw, idy = pdy, idx = pdx, idw = pdw;
                foreach (bool on in settings)
                {
                    toggle?.Invoke(on);
                    double data = RepeatedTimer.MedianMilliseconds(seconds, () => Conv2dKernel.BackwardData(g, idy, iw, idx, overwrite: true));
                    double weight = RepeatedTimer.MedianMilliseconds(seconds, () => Conv2dKernel.BackwardWeight(g, ix, idy, idw, null));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{s.Name}{(toggle is null ? "" : on ? " on" : " off")}: input gradient {data:F2} ms {g.Flops / data / 1e6:F0} GFLOP/s, weight gradient {weight:F2} ms {g.Flops / weight / 1e6:F0} GFLOP/s"));
                }
            }
        }

        Conv2dKernel.SideBySideImages = savedSideBySide;
        Conv2dKernel.BackwardDataAsForward = savedAsForward;
        return 0;
    }
}
