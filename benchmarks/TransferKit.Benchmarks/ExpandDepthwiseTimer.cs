using System.Diagnostics;
using System.Globalization;
using TransferKit.Kernels;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Benchmarks;

/// <summary>
/// <c>expand-depthwise [cin,hidden,side,k,stride] [chunk...]</c>: an inverted residual's expanding 1x1 convolution and its
/// depthwise convolution at batch 16, run one after the other over the whole batch, or image by image and
/// <c>chunk</c> hidden channels at a time so that the expanded planes stay in cache between the two; interleaved.
/// </summary>
internal static unsafe class ExpandDepthwiseTimer
{
    public static int Run(string[] args)
    {
        int[] d = (args.Length > 1 ? args[1] : "16,96,112,3,2").Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        int cin = d[0], hidden = d[1], side = d[2], k = d[3], stride = d[4], batch = 16;
        int[] chunks = args.Length > 2 ? args.Skip(2).Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray() : [0, hidden, 32, 16];
        var g1 = new Conv2dGeometry(batch, cin, side, side, hidden, 1, 1);
        var g2 = new Conv2dGeometry(batch, hidden, side, side, hidden, k, k, stride, stride, k / 2, k / 2, Groups: hidden);
        int plane = side * side, planeOut = g2.OutHeight * g2.OutWidth;
        var rng = new Random(3);
        float* x = NativeBuffers.Random(g1.InputLength, rng), w1 = NativeBuffers.Random(g1.WeightLength, rng), b1 = NativeBuffers.Random(hidden, rng);
        float* mid = NativeBuffers.Random(g1.OutputLength, rng), w2 = NativeBuffers.Random(g2.WeightLength, rng), b2 = NativeBuffers.Random(hidden, rng);
        float* y = NativeBuffers.Random(g2.OutputLength, rng);
        var times = chunks.Select(_ => new List<double>()).ToArray();
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < 20)
        {
            for (int s = 0; s < chunks.Length; s++)
            {
                var clock = Stopwatch.StartNew();
                int chunk = chunks[s];
                if (chunk == 0)
                {
                    Conv2dKernel.ForwardFused(g1, x, w1, b1, mid, ActivationKind.ReLU6, null);
                    Conv2dKernel.ForwardFused(g2, mid, w2, b2, y, ActivationKind.ReLU6, null);
                }
                else
                {
                    int perImage = (hidden + chunk - 1) / chunk;
                    Parallelism.ForWhole(0, batch * perImage, item =>
                    {
                        int n = item / perImage, c0 = item % perImage * chunk, c = Math.Min(chunk, hidden - c0);
                        using var scratch = new ScratchBuffer(c * plane);
                        GemmEngine.SgemmWithEpilogue(false, false, c, plane, cin, w1 + (long)c0 * cin, cin,
                            x + (long)n * cin * plane, plane, scratch.Pointer, plane,
                            new GemmEpilogue(b1 + c0, null, plane, ActivationKind.ReLU6));
                        var gc = new Conv2dGeometry(1, c, side, side, c, k, k, stride, stride, k / 2, k / 2, Groups: c);
                        DepthwiseConv2d.Forward(gc, scratch.Pointer, w2 + (long)c0 * k * k, b2 + c0,
                            y + ((long)n * hidden + c0) * planeOut, ActivationKind.ReLU6, null);
                    }, false);
                }
                times[s].Add(clock.Elapsed.TotalMilliseconds);
            }
        }
        for (int s = 0; s < chunks.Length; s++)
        {
            var t = times[s];
            t.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{args.ElementAtOrDefault(1) ?? "16,96,112,3,2"} {(chunks[s] == 0 ? "separate" : $"chunk {chunks[s]}"),-10} {t[t.Count / 2],7:F2} ms"));
        }
        NativeBuffers.Free((nint)x, (nint)w1, (nint)b1, (nint)mid, (nint)w2, (nint)b2, (nint)y);
        return 0;
    }
}
