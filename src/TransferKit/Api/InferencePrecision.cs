namespace TransferKit.Api;

/// <summary>
/// The arithmetic of a forward pass that does not train: prediction, evaluation, and the frozen part of a transfer run
/// (which fills the activation cache). See <see cref="InferencePrecisionSupport"/> for where bfloat16 runs.
/// </summary>
public enum InferencePrecision
{
    /// <summary>Everything in float32 (the default): matches PyTorch and ONNX Runtime to about 1e-5.</summary>
    Float32,

    /// <summary>
    /// The convolutions' and linear layers' matrix products take bfloat16 inputs (weights and activations rounded to 8
    /// significant bits) and accumulate in float32, with AVX512-BF16's <c>vdpbf16ps</c>, which does twice float32's
    /// multiply-adds per instruction. Everything else (depthwise convolutions, normalisation, activations, pooling, the
    /// stored activations) stays float32. Logits move by about 1% of their range; top-1 predictions rarely change. Where
    /// the instructions are missing, the pass runs in float32 (see <see cref="InferencePrecisionSupport.IsAvailable"/>).
    /// </summary>
    BFloat16,
}
