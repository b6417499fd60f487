using TransferKit.Kernels.Gemm;

namespace TransferKit.Api;

/// <summary>Where each <see cref="InferencePrecision"/> runs, and a scope for forward passes run directly on a network.</summary>
public static class InferencePrecisionSupport
{
    /// <summary>
    /// Whether <paramref name="precision"/> runs as asked on this machine. Float32 always does; bfloat16 needs an x86-64
    /// CPU with AVX512-BF16 (Intel Cooper Lake and Sapphire Rapids or later, AMD Zen 4 or later) and Linux.
    /// </summary>
    public static bool IsAvailable(InferencePrecision precision) => precision switch
    {
        InferencePrecision.Float32 => true,
        InferencePrecision.BFloat16 => BFloat16Gemm.IsAvailable,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision."),
    };

    /// <summary>Why <paramref name="precision"/> does not run here, or null when it does.</summary>
    public static string? UnavailableReason(InferencePrecision precision) =>
        IsAvailable(precision) ? null : BFloat16Gemm.UnavailableReason;

    /// <summary>The precision a request for <paramref name="precision"/> runs in here: itself, or Float32 where it is unavailable.</summary>
    public static InferencePrecision Effective(InferencePrecision precision) =>
        IsAvailable(precision) ? precision : InferencePrecision.Float32;

    /// <summary>
    /// Runs forward passes on the calling thread in <paramref name="precision"/> (or Float32 where it is unavailable)
    /// until the returned scope is disposed: for code that calls a network's <c>Forward</c> itself. Do not train inside
    /// the scope (gradients would see bfloat16 products). <see cref="TrainedModel.Precision"/> and
    /// <see cref="TrainingOptions.FrozenPrecision"/> open it for you.
    /// </summary>
    public static IDisposable Enter(InferencePrecision precision) =>
        BFloat16Scope.Enter(Effective(precision) == InferencePrecision.BFloat16);
}
