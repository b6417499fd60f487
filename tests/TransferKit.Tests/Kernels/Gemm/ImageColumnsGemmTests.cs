using TransferKit.Kernels;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Tests.Kernels.Gemm;

/// <summary>
/// Products over images side by side (<see cref="ImageColumns"/>): against one naive product per image, with gaps
/// between the images in B, C and the residual that must stay untouched, tiles that straddle two images at every
/// offset, row and column edges, several k blocks, and every epilogue; and 1x1 convolutions run that way against the
/// same convolutions image by image, bit for bit, and against the naive twin.
/// </summary>
public unsafe class ImageColumnsGemmTests
{
    private const float Sentinel = -12345f;

    // (m, k, images, width): widths around the 32- and 16-column slivers and their multiples, depths below and above one k block;
    // the last two split the rows across two threads instead of the columns.
    public static TheoryData<int, int, int, int> Products => new()
    {
        { 8, 16, 2, 32 },
        { 16, 24, 3, 33 },
        { 13, 40, 5, 49 },
        { 24, 600, 4, 49 },
        { 7, 9, 7, 35 },
        { 40, 64, 3, 196 },
        { 9, 1030, 3, 47 },
        { 64, 32, 16, 49 },
        { 520, 40, 2, 33 },
        { 300, 520, 3, 40 },
        { 12, 20, 4, 17 },
        { 6, 70, 5, 23 },
    };

    [Theory]
    [MemberData(nameof(Products))]
    public void MatchesOneNaiveProductPerImage(int m, int k, int images, int width)
    {
        foreach (var bits in Widths()) CheckAgainstNaiveProducts(bits, m, k, images, width);
    }

    /// <summary>The vector widths whose kernels run products over images side by side on this machine.</summary>
    private static IEnumerable<GemmVectorWidth> Widths()
    {
        if (BlockedGemm<MicroKernel512>.RunsImages) yield return GemmVectorWidth.Bits512;
        if (BlockedGemm<MicroKernel256>.RunsImages) yield return GemmVectorWidth.Bits256;
    }

    private static void CheckAgainstNaiveProducts(GemmVectorWidth bits, int m, int k, int images, int width)
    {
        var rng = new Random(m * 31 + k * 7 + width);
        // Gaps of 5 floats between images in B and 3 rows' worth plus 11 floats in C, filled with sentinels.
        long bImage = (long)k * width + 5, cImage = (long)m * width + 3 * width + 11;
        float[] a = Random(rng, m * k), bias = Random(rng, m);
        float[] b = Filled(images * bImage, Sentinel), c = Filled(images * cImage, Sentinel), residual = Filled(images * cImage, Sentinel);
        for (int i = 0; i < images; i++)
        {
            for (int j = 0; j < k * width; j++) b[i * bImage + j] = (float)(rng.NextDouble() * 2 - 1);
            for (int j = 0; j < m * width; j++) residual[i * cImage + j] = (float)(rng.NextDouble() * 2 - 1);
        }
        foreach (var activation in new[] { ActivationKind.Identity, ActivationKind.ReLU, ActivationKind.SiLU })
        {
            foreach (bool withResidual in new[] { false, true })
            {
                foreach (int threads in new[] { 1, 2 })
                {
                    Array.Fill(c, Sentinel);
                    ThreadCount.With(threads, () =>
                    {
                        fixed (float* pa = a, pb = b, pc = c, pr = residual, pbias = bias)
                        {
                            new ManagedGemm(bits).SgemmImages(m, images * width, k, pa, k, pb, width, pc, width,
                                new ImageColumns(width, bImage, cImage), new GemmEpilogue(pbias, withResidual ? pr : null, width, activation), null);
                        }
                    });
                    string name = $"{bits}: m {m} k {k} images {images} width {width} {activation} residual {withResidual} threads {threads}";
                    for (int i = 0; i < images; i++)
                    {
                        float[] expected = NaiveImage(a, b, i * bImage, bias, withResidual ? residual : null, i * cImage, m, k, width, activation);
                        NumericAssert.KernelClose(expected, c.AsSpan((int)(i * cImage), m * width).ToArray(), $"{name}, image {i}");
                        for (long j = i * cImage + m * width; j < (i + 1) * cImage; j++)
                            Assert.True(c[j] == Sentinel, $"{name}: C written in the gap after image {i} at {j - i * cImage - m * width}");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Products))]
    public void TransposedAAndAccumulationMatchOneNaiveProductPerImage(int m, int k, int images, int width)
    {
        foreach (var bits in Widths()) CheckTransposedAAndAccumulation(bits, m, k, images, width);
    }

    private static void CheckTransposedAAndAccumulation(GemmVectorWidth bits, int m, int k, int images, int width)
    {
        var rng = new Random(m * 13 + k * 5 + width);
        long bImage = (long)k * width + 5, cImage = (long)m * width + 2 * width + 7;
        float[] a = Random(rng, m * k), transposed = new float[k * m], zeroBias = new float[m];
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++) transposed[p * m + i] = a[i * k + p];
        float[] b = Filled(images * bImage, Sentinel), start = Filled(images * cImage, Sentinel), c = new float[images * cImage];
        for (int i = 0; i < images; i++)
        {
            for (int j = 0; j < k * width; j++) b[i * bImage + j] = (float)(rng.NextDouble() * 2 - 1);
            for (int j = 0; j < m * width; j++) start[i * cImage + j] = (float)(rng.NextDouble() * 2 - 1);
        }
        foreach (bool transposeA in new[] { false, true })
        {
            foreach (bool accumulate in new[] { false, true })
            {
                foreach (int threads in new[] { 1, 2 })
                {
                    Array.Copy(start, c, c.Length);
                    ThreadCount.With(threads, () =>
                    {
                        fixed (float* pa = transposeA ? transposed : a, pb = b, pc = c)
                        {
                            new ManagedGemm(bits).SgemmImages(m, images * width, k, pa, transposeA ? m : k, pb, width, pc, width,
                                new ImageColumns(width, bImage, cImage), default, null, transposeA, accumulate);
                        }
                    });
                    string name = $"{bits}: m {m} k {k} images {images} width {width} transposed A {transposeA} accumulate {accumulate} threads {threads}";
                    for (int i = 0; i < images; i++)
                    {
                        float[] expected = NaiveImage(a, b, i * bImage, zeroBias, accumulate ? start : null, i * cImage, m, k, width, ActivationKind.Identity);
                        NumericAssert.KernelClose(expected, c.AsSpan((int)(i * cImage), m * width).ToArray(), $"{name}, image {i}");
                        for (long j = i * cImage + m * width; j < (i + 1) * cImage; j++)
                            Assert.True(c[j] == Sentinel, $"{name}: C written in the gap after image {i} at {j - i * cImage - m * width}");
                    }
                }
            }
        }
    }

    [Fact]
    public void RefusesImagesNarrowerThanOneSliver()
    {
        if (!BlockedGemm<MicroKernel512>.RunsImages) return;
        float[] a = new float[4], b = new float[4 * 31 * 2], c = new float[4 * 31 * 2];
        fixed (float* pa = a, pb = b, pc = c)
        {
            float* x = pa, y = pb, z = pc;
            Assert.Throws<ArgumentOutOfRangeException>(() =>
                new ManagedGemm(GemmVectorWidth.Bits512).SgemmImages(1, 62, 4, x, 4, y, 31, z, 31, new ImageColumns(31, 124, 31), default, null));
        }
    }

    // (batch, in channels, height, width, out channels)
    public static TheoryData<int, int, int, int, int> Pointwise => new()
    {
        { 16, 24, 7, 7, 20 },
        { 4, 520, 7, 7, 33 },
        { 3, 16, 14, 14, 16 },
        { 5, 12, 17, 17, 9 },
        { 4, 8, 5, 8, 8 },
    };

    [Theory]
    [MemberData(nameof(Pointwise))]
    public void PointwiseConvolutionsGiveTheSameBitsAsImageByImage(int batch, int cin, int height, int width, int cout)
    {
        if (GemmEngine.Provider is not ManagedGemm { RunsImages: true }) return;
        var g = new Conv2dGeometry(batch, cin, height, width, cout, 1, 1);
        var rng = new Random(batch * cin + cout);
        float[] input = Random(rng, g.InputLength), weight = Random(rng, g.WeightLength), bias = Random(rng, cout), residual = Random(rng, g.OutputLength);
        foreach (int threads in new[] { 1, 2 })
        {
            ThreadCount.With(threads, () =>
            {
                Assert.True(Conv2dKernel.RunsImagesSideBySide(g), "the geometry should run side by side");
                float[] together = Forward(g, input, weight, bias, residual, ActivationKind.ReLU6, sideBySide: true);
                float[] apart = Forward(g, input, weight, bias, residual, ActivationKind.ReLU6, sideBySide: false);
                Assert.Equal(apart, together);
                float[] expected = new float[g.OutputLength];
                fixed (float* x = input, w = weight, b = bias, e = expected) NaiveConv2d.Forward(g, x, w, b, e);
                for (int i = 0; i < expected.Length; i++) expected[i] = Math.Clamp(expected[i] + residual[i], 0f, 6f);
                NumericAssert.KernelClose(expected, together, $"side by side, {threads} threads");
            });
        }
    }

    [Theory]
    [MemberData(nameof(Pointwise))]
    public void PointwiseInputGradientsGiveTheSameBitsAsImageByImage(int batch, int cin, int height, int width, int cout)
    {
        if (GemmEngine.Provider is not ManagedGemm { RunsImages: true }) return;
        var g = new Conv2dGeometry(batch, cin, height, width, cout, 1, 1);
        var rng = new Random(batch * cin + cout + 1);
        float[] gradOutput = Random(rng, g.OutputLength), weight = Random(rng, g.WeightLength), start = Random(rng, g.InputLength);
        foreach (int threads in new[] { 1, 2 })
        {
            ThreadCount.With(threads, () =>
            {
                Assert.True(Conv2dKernel.RunsImagesSideBySide(g), "the geometry should run side by side");
                foreach (bool overwrite in new[] { true, false })
                {
                    float[] together = InputGradient(g, gradOutput, weight, start, overwrite, sideBySide: true);
                    float[] apart = InputGradient(g, gradOutput, weight, start, overwrite, sideBySide: false);
                    Assert.Equal(apart, together);
                    float[] expected = overwrite ? new float[g.InputLength] : (float[])start.Clone();
                    fixed (float* dy = gradOutput, w = weight, e = expected) NaiveConv2d.BackwardData(g, dy, w, e);
                    NumericAssert.KernelClose(expected, together, $"side by side, overwrite {overwrite}, {threads} threads");
                }
            });
        }
    }

    // (batch, in channels, size, out channels, kernel, stride, pad): stacked im2col products (small planes, wide enough
    // inputs that the direct kernel declines them), stride 2 3x3 and 1x1, stride 1 unpadded.
    public static TheoryData<int, int, int, int, int, int, int> Stacked => new()
    {
        { 4, 72, 14, 20, 3, 2, 1 },
        { 5, 80, 12, 9, 1, 2, 0 },
        { 3, 70, 10, 16, 3, 1, 0 },
        { 16, 66, 16, 24, 3, 2, 1 },
    };

    [Theory]
    [MemberData(nameof(Stacked))]
    public void StackedIm2ColProductsStoreInPlaceWithTheSameBits(int batch, int cin, int size, int cout, int kernel, int stride, int pad)
    {
        if (GemmEngine.Provider is not ManagedGemm { RunsImages: true }) return;
        var g = new Conv2dGeometry(batch, cin, size, size, cout, kernel, kernel, stride, stride, pad, pad);
        Assert.True(Conv2dKernel.ImagesPerGemm(g) > 1, $"{g} should be stacked");
        Assert.False(Conv2dKernel.UsesDirect(g) || Conv2dKernel.UsesWinograd(g) || Conv2dKernel.IsPointwise(g), $"{g} should take im2col");
        Assert.True(Conv2dKernel.StoresStackedImagesInPlace(g));
        var rng = new Random(batch * cin + cout + kernel);
        float[] input = Random(rng, g.InputLength), weight = Random(rng, g.WeightLength), bias = Random(rng, cout), residual = Random(rng, g.OutputLength);
        float[] inPlaceOutput = Forward(g, input, weight, bias, residual, ActivationKind.ReLU, sideBySide: true);
        float[] staged = Forward(g, input, weight, bias, residual, ActivationKind.ReLU, sideBySide: false);
        Assert.Equal(staged, inPlaceOutput);
        float[] expected = new float[g.OutputLength];
        fixed (float* x = input, w = weight, b = bias, e = expected) NaiveConv2d.Forward(g, x, w, b, e);
        for (int i = 0; i < expected.Length; i++) expected[i] = Math.Max(expected[i] + residual[i], 0f);
        NumericAssert.KernelClose(expected, inPlaceOutput, "stacked im2col in place");
    }

    [Fact]
    public void OnlyPlanesThatWasteSliversGoSideBySide()
    {
        if (GemmEngine.Provider is not ManagedGemm { RunsImages: true }) return;
        ThreadCount.With(2, () =>
        {
            Assert.True(Conv2dKernel.RunsImagesSideBySide(new Conv2dGeometry(16, 64, 7, 7, 64, 1, 1)));
            Assert.True(Conv2dKernel.RunsImagesSideBySide(new Conv2dGeometry(16, 64, 14, 14, 64, 1, 1)));
            Assert.False(Conv2dKernel.RunsImagesSideBySide(new Conv2dGeometry(16, 64, 28, 28, 64, 1, 1)), "24.5 of 25 slivers");
            Assert.False(Conv2dKernel.RunsImagesSideBySide(new Conv2dGeometry(16, 64, 8, 8, 64, 1, 1)), "whole slivers");
            Assert.False(Conv2dKernel.RunsImagesSideBySide(new Conv2dGeometry(1, 64, 7, 7, 64, 1, 1)), "one image");
            Assert.False(Conv2dKernel.RunsImagesSideBySide(new Conv2dGeometry(16, 64, 3, 3, 64, 1, 1)), "narrower than a sliver");
            Assert.False(Conv2dKernel.RunsImagesSideBySide(new Conv2dGeometry(16, 64, 7, 7, 64, 1, 1, Groups: 2)), "grouped");
            using (BFloat16Scope.Enter(true))
                Assert.False(Conv2dKernel.RunsImagesSideBySide(new Conv2dGeometry(16, 64, 7, 7, 64, 1, 1)), "bfloat16");
        });
    }

    private static float[] NaiveImage(float[] a, float[] b, long bOffset, float[] bias, float[]? residual, long cOffset, int m, int k, int width,
        ActivationKind activation)
    {
        var result = new float[m * width];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < width; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++) sum += (double)a[i * k + p] * b[bOffset + (long)p * width + j];
                float v = (float)sum + bias[i] + (residual == null ? 0f : residual[cOffset + i * width + j]);
                result[i * width + j] = activation switch
                {
                    ActivationKind.ReLU => Math.Max(v, 0f),
                    ActivationKind.SiLU => v / (1f + MathF.Exp(-v)),
                    _ => v,
                };
            }
        }
        return result;
    }

    /// <summary>The fused forward pass with <see cref="Conv2dKernel.SideBySideImages"/> set as given (and restored after).</summary>
    private static float[] Forward(Conv2dGeometry g, float[] input, float[] weight, float[] bias, float[] residual, ActivationKind activation,
        bool sideBySide)
    {
        float[] output = new float[g.OutputLength];
        bool previous = Conv2dKernel.SideBySideImages;
        Conv2dKernel.SideBySideImages = sideBySide;
        try
        {
            fixed (float* x = input, w = weight, b = bias, r = residual, y = output)
                Conv2dKernel.ForwardFused(g, x, w, b, y, activation, r);
        }
        finally
        {
            Conv2dKernel.SideBySideImages = previous;
        }
        return output;
    }

    /// <summary>The input gradient, written over <paramref name="start"/>'s values or added to them, side by side or not.</summary>
    private static float[] InputGradient(Conv2dGeometry g, float[] gradOutput, float[] weight, float[] start, bool overwrite, bool sideBySide)
    {
        float[] gradInput = overwrite ? Filled(g.InputLength, float.NaN) : (float[])start.Clone();
        bool previous = Conv2dKernel.SideBySideImages;
        Conv2dKernel.SideBySideImages = sideBySide;
        try
        {
            fixed (float* dy = gradOutput, w = weight, dx = gradInput) Conv2dKernel.BackwardData(g, dy, w, dx, overwrite);
        }
        finally
        {
            Conv2dKernel.SideBySideImages = previous;
        }
        return gradInput;
    }

    private static float[] Random(Random rng, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }

    private static float[] Filled(long length, float value)
    {
        var values = new float[length];
        Array.Fill(values, value);
        return values;
    }
}
