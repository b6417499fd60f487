namespace TransferKit.Models.Onnx;

/// <summary>The evaluation transforms that belong to known ONNX models.</summary>
public static class OnnxPreprocessing
{
    /// <summary>
    /// ML.NET's ResNet-18 (Microsoft.ML.DnnImageFeaturizer.ResNet18): the whole image resized straight to 224 x 224
    /// (<see cref="ResizeMode.Stretch"/>, no crop), BGR order, values 0-255, minus a mean image. The mean image (ResNetPreprocess.onnx, [1, 3, 224, 224]) is replaced by its per-channel averages
    /// B 103.063, G 115.903, R 123.152: its pixels stay within 13 levels of them (standard deviation 3 to 6 levels), a shift that
    /// the first BatchNorm absorbs almost entirely and fine-tuning removes.
    /// </summary>
    public static PreprocessingSpec MlNetResNet18 { get; } = new(224, 224, ResizeInterpolation.Bilinear,
        new NormalizationSpec([103.06262f, 115.902885f, 123.15163f], [1f, 1f, 1f], 1f, ChannelOrder.Bgr))
    {
        ResizeMode = ResizeMode.Stretch,
    };
}
