using System.Text.Json;
using System.Text.Json.Serialization;

namespace TransferKit.Evaluation;

/// <summary>
/// Source-generated JSON contract of <see cref="ClassificationReport"/> (no reflection, trimming-safe). Required
/// constructor parameters and non-nullable references are enforced on read, so a report with a missing or null
/// property fails instead of loading with defaults. Named floating-point literals carry the ROC curve's +infinity.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ClassificationReport))]
internal sealed partial class EvaluationJsonContext : JsonSerializerContext
{
    private static EvaluationJsonContext? s_compact;

    /// <summary>The same contract writing one line (made on first use, after the generated <c>Default</c> exists).</summary>
    public static EvaluationJsonContext Compact =>
        s_compact ??= new(new JsonSerializerOptions(Default.Options) { WriteIndented = false });
}
