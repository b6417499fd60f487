using TransferKit.Training.Callbacks;

namespace TransferKit.Reporting;

/// <summary>One fit shown in a report: the only one of a plain fit, or a phase of fine-tuning.</summary>
/// <param name="Name">The phase's name in a multi-phase report (e.g. "phase 2: unfrozen"), or null for a single fit.</param>
/// <param name="Result">What the fit returned.</param>
internal sealed record ReportPhase(string? Name, TrainingResult Result);
