using System.CommandLine;
using TransferKit.Api;
using TransferKit.Cli.Parsing;

namespace TransferKit.Cli.Commands;

/// <summary>The <c>--precision</c> option: the arithmetic of predictions (predict, evaluate) or of the frozen units (train).</summary>
internal static class PrecisionOption
{
    private static readonly IReadOnlyDictionary<string, InferencePrecision> Values = new Dictionary<string, InferencePrecision>(StringComparer.OrdinalIgnoreCase)
    {
        ["float32"] = InferencePrecision.Float32,
        ["bfloat16"] = InferencePrecision.BFloat16,
    };

    /// <summary>An optional <c>--precision float32|bfloat16</c>, Float32 when not given.</summary>
    /// <param name="what">What runs in that precision, for the help text.</param>
    public static Option<InferencePrecision> Create(string what) => CliOption.Create("--precision",
        $"Arithmetic of {what}: float32 (default) or bfloat16 (about twice as fast matrix products on CPUs with AVX512-BF16, "
        + "logits within about 1%; float32 where the CPU lacks it).",
        s => ValueParsers.OneOf(s, Values), InferencePrecision.Float32, "TYPE");

    /// <summary>Sets <paramref name="model"/>'s prediction precision, warning when it cannot run here and float32 runs instead.</summary>
    public static void ApplyTo(TrainedModel model, InferencePrecision precision, CliContext context)
    {
        model.Precision = precision;
        if (!InferencePrecisionSupport.IsAvailable(precision))
            context.Warn($"--precision {precision.ToString().ToLowerInvariant()} is unavailable ({InferencePrecisionSupport.UnavailableReason(precision)}); running float32.");
    }
}
