using TransferKit.Kernels;
using TransferKit.Kernels.Activations;
using TransferKit.Kernels.Convolution;
using TransferKit.Kernels.Gemm;

namespace TransferKit.Tests.Kernels.Convolution;

/// <summary>
/// Weights kept across calls (<see cref="PreparedConvWeights"/>): on every forward path that prepares weights (im2col
/// and 1x1 products image by image or split across the threads, the direct kernel, Winograd), in float32 and bfloat16,
/// a call that fills the store and a call that reads it give the bits of a call without one; a store answers only for
/// the weights it was bound to, drops its forms when the weights change, and its panels survive their users' disposal.
/// </summary>
public unsafe class PreparedConvWeightsTests
{
    public static IEnumerable<object[]> Paths()
    {
        (string Name, int N, int Cin, int H, int Cout, int K, int Stride, string Algorithm)[] cases =
        [
            ("1x1 whole images", 4, 24, 9, 40, 1, 1, "auto"),
            ("1x1 one image", 1, 24, 16, 40, 1, 1, "auto"),
            ("im2col whole images", 4, 12, 10, 36, 3, 2, "im2col"),
            ("im2col one image", 1, 12, 10, 36, 3, 1, "im2col"),
            ("im2col stacked images", 3, 12, 4, 36, 3, 1, "im2col"),
            ("direct", 2, 6, 12, 11, 3, 1, "direct"),
            ("winograd", 2, 20, 10, 24, 3, 1, "winograd"),
        ];
        foreach (var c in cases)
            foreach (bool bf16 in new[] { false, true })
                yield return [c.Name, c.N, c.Cin, c.H, c.Cout, c.K, c.Stride, c.Algorithm, bf16];
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void KeptFormsGiveTheBitsOfFreshOnes(string path, int batch, int cin, int side, int cout, int kernel, int stride,
        string algorithm, bool bfloat16)
    {
        if (bfloat16 && !BFloat16Gemm.IsAvailable) return;
        var g = new Conv2dGeometry(batch, cin, side, side, cout, kernel, kernel, stride, stride, kernel / 2, kernel / 2);
        var rng = new Random(cin * 31 + cout);
        float[] input = RandomArray(rng, g.InputLength), weight = RandomArray(rng, g.WeightLength), bias = RandomArray(rng, cout);
        float[] residual = RandomArray(rng, g.OutputLength);
        using var forced = new ForcedConvAlgorithm(algorithm);
        using var scope = BFloat16Scope.Enter(bfloat16);
        float[] fresh = Run(g, input, weight, bias, residual, null);
        using var prepared = new PreparedConvWeights();
        Assert.Equal(fresh, Run(g, input, weight, bias, residual, prepared));
        int forms = prepared.FormCount;
        // The products keep panels only on the managed GEMM (CBLAS is the default on CPUs without AVX2 and FMA).
        bool keeps = GemmEngine.Provider is ManagedGemm || bfloat16 || algorithm == "winograd";
        Assert.True(forms > 0 || !keeps, $"{path}: nothing was kept");
        Assert.Equal(fresh, Run(g, input, weight, bias, residual, prepared));
        Assert.Equal(forms, prepared.FormCount);
    }

    [Fact]
    public void KeptFormsFollowTheWeightsTheyWereBoundTo()
    {
        var g = new Conv2dGeometry(1, 16, 8, 8, 24, 3, 3, PadHeight: 1, PadWidth: 1);
        var rng = new Random(5);
        float[] input = RandomArray(rng, g.InputLength), weight = RandomArray(rng, g.WeightLength), other = RandomArray(rng, g.WeightLength);
        foreach (string algorithm in new[] { "im2col", "direct", "winograd" })
        {
            using var forced = new ForcedConvAlgorithm(algorithm);
            using var prepared = new PreparedConvWeights();
            float[] copy = (float[])weight.Clone();
            _ = Run(g, input, copy, null, null, prepared);
            // Changed in place and cleared, as the folding does when it refolds: the new weights count.
            Array.Copy(other, copy, copy.Length);
            prepared.Clear();
            Assert.Equal(Run(g, input, other, null, null, null), Run(g, input, copy, null, null, prepared));
            // Bound to other weights (another array): the earlier forms are dropped, not served.
            Assert.Equal(Run(g, input, weight, null, null, null), Run(g, input, weight, null, null, prepared));
        }
    }

    [Fact]
    public void StoresAnswerOnlyForTheirWeightsOnTheirThreadAndKeepTheirPanels()
    {
        float[] weight = RandomArray(new Random(2), 64 * 48), other = new float[64 * 48];
        using var prepared = new PreparedConvWeights();
        fixed (float* w = weight, o = other)
        {
            Assert.Null(PreparedConvWeights.For(w));
            using (prepared.Use(w))
            {
                Assert.Same(prepared, PreparedConvWeights.For(w));
                Assert.Null(PreparedConvWeights.For(o));
                float* pw = w;
                PreparedConvWeights? seen = prepared;
                var thread = new Thread(() => seen = PreparedConvWeights.For(pw));
                thread.Start();
                thread.Join();
                Assert.Null(seen);

                var panels = prepared.PackedLeft(false, 64, 200, 48, w, 48);
                if (panels is not null)
                {
                    panels.Dispose(); // a caller's using
                    Assert.True(panels.Fits(panels.Kernel, false, 64, 48, 1f, w));
                    Assert.Same(panels, prepared.PackedLeft(false, 64, 200, 48, w, 48));
                }

                int fills = 0;
                float* first = prepared.Buffer("test", 8, d => fills++);
                Assert.True(first == prepared.Buffer("test", 8, d => fills++));
                Assert.Equal(1, fills);
            }
            Assert.Null(PreparedConvWeights.For(w));
        }
        prepared.Dispose();
        Assert.Throws<ObjectDisposedException>(() => prepared.Use((float*)null));
    }

    [Fact]
    public void FormsDroppedDuringACallOutliveIt()
    {
        float[] weight = RandomArray(new Random(4), 64 * 48);
        using var prepared = new PreparedConvWeights();
        fixed (float* w = weight)
        {
            PackedLeftOperand? panels;
            float* buffer;
            using (prepared.Use(w))
            {
                panels = prepared.PackedLeft(false, 64, 200, 48, w, 48);
                buffer = prepared.Buffer("test", 16, d => new Span<float>(d, 16).Fill(7f));
                // A refold on another thread while this call still reads its forms: they stay until the call ends.
                var refold = new Thread(prepared.Clear);
                refold.Start();
                refold.Join();
                Assert.Equal(0, prepared.FormCount);
                Assert.Null(PreparedConvWeights.For(w));
                if (panels is not null) Assert.True(panels.Fits(panels.Kernel, false, 64, 48, 1f, w));
                Assert.Equal(7f, buffer[15]);
            }
            if (panels is not null) Assert.False(panels.Fits(panels.Kernel, false, 64, 48, 1f, w));
        }
    }

    [Fact]
    public void KeptWeightsTakeWinogradForOneImageAndTheDirectKernelOnSevenBySevenPlanes()
    {
        using var forced = new ForcedConvAlgorithm("auto");
        // One 14x14 image: 49 tiles, too few to transform the weights on every call, enough once they are kept.
        var oneImage = new Conv2dGeometry(1, 256, 14, 14, 256, 3, 3, PadHeight: 1, PadWidth: 1);
        Assert.False(Conv2dKernel.UsesWinograd(oneImage));
        Assert.True(Conv2dKernel.UsesWinograd(oneImage, weightsKept: true));
        // 7x7 with 512 channels: im2col unless the arrangement is paid once; 8x8 computes too many pad positions.
        var seven = new Conv2dGeometry(16, 512, 7, 7, 512, 3, 3, PadHeight: 1, PadWidth: 1);
        var eight = seven with { InHeight = 8, InWidth = 8 };
        // The AVX-512 rule; on AVX2 these layers stay off the direct kernel.
        if (!DirectConv2d.Supports(seven) || !DirectConv2d.Wide) return;
        Assert.False(Conv2dKernel.UsesDirect(seven));
        Assert.True(Conv2dKernel.UsesDirect(seven, weightsKept: true));
        Assert.False(Conv2dKernel.UsesDirect(eight, weightsKept: true));
        // In bfloat16 the bfloat16 kernel beats the bfloat16 products there; the float32 one did not.
        using (BFloat16Scope.Enter(true)) Assert.Equal(BFloat16DirectKernel.IsAvailable, Conv2dKernel.UsesDirect(seven, weightsKept: true));
    }

    private static float[] Run(in Conv2dGeometry g, float[] input, float[] weight, float[]? bias, float[]? residual, PreparedConvWeights? prepared)
    {
        float[] output = new float[g.OutputLength];
        fixed (float* x = input, w = weight, b = bias, r = residual, y = output)
        {
            using var scope = prepared?.Use(w);
            Conv2dKernel.ForwardFused(g, x, w, b, y, ActivationKind.ReLU, r);
        }
        return output;
    }

    private static float[] RandomArray(Random rng, int length)
    {
        var a = new float[length];
        for (int i = 0; i < a.Length; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
        return a;
    }
}
