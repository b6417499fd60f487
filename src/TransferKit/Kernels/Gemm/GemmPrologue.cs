using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TransferKit.Kernels.Activations;

namespace TransferKit.Kernels.Gemm;

/// <summary>
/// What the blocked GEMM applies to an untransposed B as it packs it, row by row (a 1x1 convolution's input channels),
/// so that the transformed input is never written out and read back: the product reads the raw input once, as it packs it.
/// Two forms:
/// <list type="bullet">
/// <item><see cref="BatchNormRelu"/>: max((B[p, j] - mean[p]) * scale[p] + shift[p], 0), an inference batch norm and ReLU
/// (DenseNet's pre-activation layers), operation for operation <see cref="Normalization.BatchNormKernel.ForwardInferenceRelu"/>.</item>
/// <item><see cref="ChannelScale"/>: B[p, j] * scale[image, p], a squeeze-and-excitation gate (EfficientNet), each image with
/// its own scales, as <c>Ops.ChannelScale</c> computes it.</item>
/// </list>
/// Both agree with the pass they replace bit for bit.
/// </summary>
internal readonly unsafe struct GemmPrologue
{
    private GemmPrologue(float* rowScale, float* rowMean, float* rowShift, bool rectifies, long imageStride)
    {
        RowScale = rowScale;
        RowMean = rowMean;
        RowShift = rowShift;
        Rectifies = rectifies;
        ImageStride = imageStride;
    }

    /// <summary>[k] per row of B, the first image's where <see cref="ImageStride"/> is not 0; null for no prologue.</summary>
    public float* RowScale { get; }

    /// <summary>[k] subtracted before the scale, or null.</summary>
    public float* RowMean { get; }

    /// <summary>[k] added after the scale, or null.</summary>
    public float* RowShift { get; }

    /// <summary>Whether the result is clamped at 0 (ReLU).</summary>
    public bool Rectifies { get; }

    /// <summary>Floats from one image's <see cref="RowScale"/> to the next's; 0 where the images share them.</summary>
    public long ImageStride { get; }

    /// <summary>Whether B is packed as it is.</summary>
    public bool IsNone => RowScale == null;

    /// <summary>max((value - mean[p]) * scale[p] + shift[p], 0) on row p, the same for every image.</summary>
    public static GemmPrologue BatchNormRelu(float* mean, float* scale, float* shift) => new(scale, mean, shift, true, 0);

    /// <summary>value * scales[image * <paramref name="imageStride"/> + p] on row p of each image.</summary>
    public static GemmPrologue ChannelScale(float* scales, long imageStride) => new(scales, null, null, false, imageStride);

    /// <summary>The prologue of image <paramref name="image"/>'s columns.</summary>
    public GemmPrologue ForImage(long image) =>
        IsNone || ImageStride == 0 ? this : new(RowScale + image * ImageStride, RowMean, RowShift, Rectifies, ImageStride);

    /// <summary>Row <paramref name="row"/>'s transform of one value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Apply(float value, int row)
    {
        float x = RowMean == null ? value * RowScale[row] : (value - RowMean[row]) * RowScale[row] + RowShift[row];
        return Rectifies ? Math.Max(x, 0f) : x;
    }

    /// <summary>Row <paramref name="row"/>'s transform of 8 values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Apply(Vector256<float> values, int row)
    {
        var x = RowMean == null
            ? values * Vector256.Create(RowScale[row])
            : (values - Vector256.Create(RowMean[row])) * Vector256.Create(RowScale[row]) + Vector256.Create(RowShift[row]);
        return Rectifies ? Rectifier.Max0(x) : x;
    }

    /// <summary>Row <paramref name="row"/>'s transform of 16 values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Apply(Vector512<float> values, int row)
    {
        var x = RowMean == null
            ? values * Vector512.Create(RowScale[row])
            : (values - Vector512.Create(RowMean[row])) * Vector512.Create(RowScale[row]) + Vector512.Create(RowShift[row]);
        return Rectifies ? Rectifier.Max0(x) : x;
    }
}
