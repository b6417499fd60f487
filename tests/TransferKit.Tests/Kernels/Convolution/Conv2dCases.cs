using TransferKit.Kernels.Convolution;

namespace TransferKit.Tests.Kernels.Convolution;

/// <summary>
/// The geometries the fast convolution is checked on, keyed by a readable name so that each shows as its own test.
/// Small enough for the naive twin; chosen to reach every path (depthwise, pointwise, im2col one image per GEMM,
/// im2col with stacked images and a remainder block) and the parallel split of the copies.
/// </summary>
internal static class Conv2dCases
{
    public static readonly IReadOnlyDictionary<string, (Conv2dGeometry Geometry, bool Bias)> All = Build();

    public static TheoryData<string> Names => new(All.Keys);

    private static Dictionary<string, (Conv2dGeometry, bool)> Build()
    {
        var cases = new Dictionary<string, (Conv2dGeometry, bool)>();
        void Add(Conv2dGeometry g, bool bias)
        {
            string name = $"n{g.Batch} {g.InChannels}->{g.OutChannels} {g.InHeight}x{g.InWidth} k{g.KernelHeight}x{g.KernelWidth}" +
                $" s{g.StrideHeight},{g.StrideWidth} p{g.PadHeight},{g.PadWidth} d{g.DilationHeight},{g.DilationWidth} g{g.Groups}" +
                (bias ? " bias" : "");
            cases.Add(name, (g, bias));
        }

        // Square kernels crossed with stride, padding and dilation on an odd-sized plane.
        int index = 0;
        foreach (int k in new[] { 1, 2, 3, 5, 7 })
        foreach (int s in new[] { 1, 2, 3 })
        foreach (int p in new[] { 0, 1, 2, 3 })
        foreach (int d in new[] { 1, 2 })
        {
            if (k == 1 && d == 2) continue; // dilation does nothing to a 1x1 kernel
            if (d * (k - 1) + 1 > 9 + 2 * p) continue;
            index++;
            Add(new Conv2dGeometry(1 + index % 3, 3, 9, 11, 5, k, k, s, s, p, p, d, d), bias: index % 2 == 0);
        }

        // Channel counts around the 16-float vector width.
        foreach (int cin in new[] { 1, 2, 7, 15, 16, 17 })
        foreach (int cout in new[] { 1, 3, 16, 17 })
            Add(new Conv2dGeometry(2, cin, 5, 7, cout, 3, 3, PadHeight: 1, PadWidth: 1), bias: cout % 2 == 1);

        // Grouped convolutions.
        Add(new Conv2dGeometry(2, 4, 7, 6, 6, 3, 3, PadHeight: 1, PadWidth: 1, Groups: 2), bias: true);
        Add(new Conv2dGeometry(3, 8, 13, 13, 8, 3, 3, 2, 2, 1, 1, Groups: 4), bias: false);
        Add(new Conv2dGeometry(1, 8, 9, 9, 12, 5, 5, PadHeight: 2, PadWidth: 2, DilationHeight: 2, DilationWidth: 1, Groups: 4), bias: true);
        Add(new Conv2dGeometry(2, 6, 5, 7, 4, 1, 1, Groups: 2), bias: true);
        Add(new Conv2dGeometry(2, 16, 6, 6, 16, 3, 3, PadHeight: 1, PadWidth: 1, Groups: 8), bias: false);

        // Depthwise, with channel multipliers 1, 2 and 3 (as MobileNet and EfficientNet use them).
        Add(new Conv2dGeometry(2, 5, 7, 9, 5, 3, 3, PadHeight: 1, PadWidth: 1, Groups: 5), bias: true);
        Add(new Conv2dGeometry(3, 16, 13, 13, 16, 3, 3, 2, 2, 1, 1, Groups: 16), bias: false);
        Add(new Conv2dGeometry(1, 17, 13, 13, 17, 5, 5, 1, 1, 2, 2, Groups: 17), bias: true);
        Add(new Conv2dGeometry(2, 7, 11, 12, 7, 7, 7, 2, 2, 3, 3, Groups: 7), bias: false);
        Add(new Conv2dGeometry(2, 4, 9, 9, 8, 3, 3, 1, 1, 2, 2, 2, 2, Groups: 4), bias: true);
        Add(new Conv2dGeometry(1, 3, 10, 9, 9, 3, 3, 3, 2, 0, 1, Groups: 3), bias: false);
        Add(new Conv2dGeometry(2, 16, 32, 32, 16, 3, 3, PadHeight: 1, PadWidth: 1, Groups: 16), bias: true);
        // Stride-2 rows wide enough for the vector deinterleave of both column phases (with and without padding).
        Add(new Conv2dGeometry(1, 3, 9, 70, 3, 3, 3, 2, 2, 1, 1, Groups: 3), bias: true);
        // Stride-2 planes too large for the flat layout with phase rows under, at and over one 16-float vector.
        Add(new Conv2dGeometry(2, 3, 28, 28, 3, 3, 3, 2, 2, 1, 1, Groups: 3), bias: true);
        Add(new Conv2dGeometry(1, 2, 30, 9, 2, 5, 5, 2, 2, 2, 2, Groups: 2), bias: false);
        Add(new Conv2dGeometry(1, 2, 17, 31, 4, 3, 3, 2, 2, 0, 1, Groups: 2), bias: true);
        Add(new Conv2dGeometry(1, 2, 16, 35, 2, 3, 3, 2, 2, 1, 0, Groups: 2), bias: false);
        Add(new Conv2dGeometry(1, 2, 7, 69, 4, 5, 5, 2, 2, 2, 0, Groups: 2), bias: false);
        Add(new Conv2dGeometry(2, 6, 7, 5, 12, 3, 1, 1, 1, 1, 0, Groups: 6), bias: true);
        Add(new Conv2dGeometry(1, 4, 8, 8, 4, 1, 1, 3, 3, Groups: 4), bias: false);
        Add(new Conv2dGeometry(3, 2, 6, 13, 2, 2, 4, 2, 3, 1, 2, 3, 1, Groups: 2), bias: true);

        // Inception's factorised kernels, odd planes.
        Add(new Conv2dGeometry(2, 6, 13, 13, 5, 1, 7, PadHeight: 0, PadWidth: 3), bias: true);
        Add(new Conv2dGeometry(2, 5, 13, 13, 6, 7, 1, PadHeight: 3, PadWidth: 0), bias: false);
        Add(new Conv2dGeometry(1, 4, 5, 7, 3, 1, 3, 1, 2, 0, 1), bias: true);

        // Pointwise on a plane big enough for one image per GEMM; on small planes it stacks images instead.
        Add(new Conv2dGeometry(2, 5, 33, 33, 7, 1, 1), bias: true);
        Add(new Conv2dGeometry(3, 17, 7, 7, 16, 1, 1), bias: false);
        Add(new Conv2dGeometry(3, 8, 13, 13, 12, 1, 1, 2, 2), bias: false);

        // im2col with one image per GEMM, and stacked images with a remainder block (10 images, 9 per GEMM).
        Add(new Conv2dGeometry(2, 3, 32, 33, 4, 3, 3, PadHeight: 1, PadWidth: 1), bias: true);
        Add(new Conv2dGeometry(10, 2, 11, 11, 3, 3, 3, PadHeight: 1, PadWidth: 1), bias: true);
        Add(new Conv2dGeometry(3, 8, 24, 24, 4, 3, 3, PadHeight: 1, PadWidth: 1), bias: false);
        Add(new Conv2dGeometry(3, 3, 35, 35, 8, 7, 7, 2, 2, 3, 3), bias: true);
        return cases;
    }
}
