using TransferKit.Kernels;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;

namespace TransferKit.Tests.Kernels.Convolution;

/// <summary>
/// Large im2col matrices built and multiplied in bands of output rows (<see cref="Conv2dKernel.Im2ColBandRows"/>): the
/// bands of <see cref="Im2Col.PackBand"/> laid end to end are <see cref="Im2Col.Pack"/>'s matrix, and a banded
/// convolution gives the bits of the whole-matrix one, with padding, strides, dilation, bias, residual, bands cutting
/// through the padded rows, and a last, shorter band. Piecewise-linear activations keep every bit; SiLU may differ in the
/// last place where an output moves between a vector lane and the scalar tail of a tile's epilogue.
/// </summary>
public unsafe class Im2ColBandTests
{
    public static TheoryData<int, int, int, int, int, int, int, int, int> Geometries => new()
    {
        // batch, cin, side, cout, kernel, stride, pad, dilation, band floats; planes of 256 and more, which run image by image
        { 2, 3, 23, 8, 3, 1, 1, 1, 200 },
        { 2, 4, 39, 13, 7, 2, 3, 1, 900 },
        { 2, 5, 37, 6, 3, 2, 0, 1, 160 },
        { 4, 2, 21, 7, 3, 1, 2, 2, 100 },
        { 2, 6, 17, 10, 5, 1, 2, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void BandsLaidEndToEndAreTheWholeMatrix(int batch, int cin, int side, int cout, int kernel, int stride, int pad, int dilation, int bandFloats)
    {
        _ = cout;
        var g = Geometry(batch, cin, side, 1, kernel, stride, pad, dilation);
        int k = cin * kernel * kernel, plane = g.OutHeight * g.OutWidth;
        float[] input = Filled(new Random(side), g.InputLength);
        float[] whole = new float[k * plane], banded = new float[k * plane];
        int rows = Math.Max(1, bandFloats / (k * g.OutWidth));
        fixed (float* x = input, w = whole, b = banded)
        {
            Im2Col.Pack(g, x, batch - 1, 1, 0, cin, w);
            using var band = new ScratchBuffer(k * rows * g.OutWidth);
            for (int row = 0; row < g.OutHeight; row += rows)
            {
                int end = Math.Min(g.OutHeight, row + rows), columns = (end - row) * g.OutWidth;
                band.Span.Fill(float.NaN);
                Im2Col.PackBand(g, x, batch - 1, 0, cin, row, end, band.Pointer);
                for (int r = 0; r < k; r++)
                    new Span<float>(band.Pointer + (long)r * columns, columns).CopyTo(new Span<float>(b + (long)r * plane + row * g.OutWidth, columns));
            }
        }
        Assert.Equal(whole, banded);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void BandedConvolutionsGiveTheBitsOfWholeMatrices(int batch, int cin, int side, int cout, int kernel, int stride, int pad, int dilation, int bandFloats)
    {
        var g = Geometry(batch, cin, side, cout, kernel, stride, pad, dilation);
        var rng = new Random(cin * 7 + cout);
        float[] input = Filled(rng, g.InputLength), weight = Filled(rng, g.WeightLength), bias = Filled(rng, cout), residual = Filled(rng, g.OutputLength);
        using var forced = new ForcedConvAlgorithm("im2col");
        long savedMin = Conv2dKernel.Im2ColBandMinFloats;
        int savedFloats = Conv2dKernel.Im2ColBandFloats;
        try
        {
            Conv2dKernel.Im2ColBandFloats = bandFloats;
            foreach (var activation in new[] { ActivationKind.Identity, ActivationKind.ReLU, ActivationKind.ReLU6, ActivationKind.SiLU })
            {
                foreach (bool withResidual in new[] { false, true })
                {
                    Conv2dKernel.Im2ColBandMinFloats = long.MaxValue;
                    float[] whole = Run(g, input, weight, bias, withResidual ? residual : null, activation);
                    Conv2dKernel.Im2ColBandMinFloats = 0;
                    Assert.True(Conv2dKernel.Im2ColBandRows(g, cin * kernel * kernel) < g.OutHeight, "the test geometry is not banded");
                    float[] banded = Run(g, input, weight, bias, withResidual ? residual : null, activation);
                    int first = FirstDifference(whole, banded, activation == ActivationKind.SiLU ? 1e-6f : 0f);
                    Assert.True(first < 0, $"{activation}, residual {withResidual}: first difference at {first}");
                }
            }
        }
        finally
        {
            Conv2dKernel.Im2ColBandMinFloats = savedMin;
            Conv2dKernel.Im2ColBandFloats = savedFloats;
        }
    }

    [Fact]
    public void OnlyMatricesAboveTheThresholdAreBanded()
    {
        // Inception-v3's 32->32 3x3 on 147x147: 288 x 21,609 floats per image, in bands of six rows.
        var inception = new Conv2dGeometry(16, 32, 149, 149, 32, 3, 3);
        Assert.Equal(6, Conv2dKernel.Im2ColBandRows(inception, 288));
        // ResNet's 128-channel stride-2 3x3 on 56x56: 1,152 x 784 floats, under 4 MiB.
        var resnet = new Conv2dGeometry(16, 128, 56, 56, 128, 3, 3, 2, 2, 1, 1);
        Assert.Equal(resnet.OutHeight, Conv2dKernel.Im2ColBandRows(resnet, 1152));
    }

    /// <summary>The first index where the values differ by more than <paramref name="relative"/> of their size (0: in any bit), or -1.</summary>
    private static int FirstDifference(float[] a, float[] b, float relative)
    {
        for (int i = 0; i < a.Length; i++)
        {
            bool same = relative == 0
                ? BitConverter.SingleToInt32Bits(a[i]) == BitConverter.SingleToInt32Bits(b[i])
                : Math.Abs(a[i] - b[i]) <= relative * Math.Max(1f, Math.Abs(a[i]));
            if (!same) return i;
        }
        return -1;
    }

    private static Conv2dGeometry Geometry(int batch, int cin, int side, int cout, int kernel, int stride, int pad, int dilation) =>
        new(batch, cin, side, side, cout, kernel, kernel, stride, stride, pad, pad, dilation, dilation);

    private static float[] Run(in Conv2dGeometry g, float[] input, float[] weight, float[] bias, float[]? residual, ActivationKind activation)
    {
        float[] output = new float[g.OutputLength];
        fixed (float* x = input, w = weight, b = bias, r = residual, y = output)
            Conv2dKernel.ForwardFused(g, x, w, b, y, activation, r);
        return output;
    }

    private static float[] Filled(Random rng, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }
}
