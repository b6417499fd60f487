using System.Globalization;
using TransferKit.Data.Datasets;
using TransferKit.Evaluation;
using TransferKit.Kernels;
using TransferKit.Reporting;
using TransferKit.Training.Callbacks;

namespace TransferKit.Api;

public sealed partial class ImageClassifierTrainer
{
    /// <summary>What a fit records for its report (<see cref="TrainingReports.SaveReport(TrainingResult, string)"/>) beyond the epochs.</summary>
    private sealed partial class FitRun
    {
        private readonly List<LearningRateStep> _learningRates = [];
        private readonly DateTimeOffset _started = DateTimeOffset.Now;

        /// <summary>Keeps the most confidently wrong validation predictions while the final report is computed.</summary>
        private ConfidentlyWrongCollector NewWrongCollector() =>
            new(_trainer.ClassNames.Count, ConfidentlyWrongCollector.DefaultCapacity, ClassificationEvaluatorOptions.Default.BinaryThreshold);

        /// <summary>The collected predictions with their names and thumbnails: only these few images are decoded again.</summary>
        private IReadOnlyList<MisclassifiedImage> Misclassified(ConfidentlyWrongCollector wrong)
        {
            if (_validation is not { } data) return [];
            var names = _trainer.ClassNames;
            return wrong.Result
                .Select(m => new MisclassifiedImage(m.Index, data.GetSourceName(m.Index), m.TrueLabel, names[m.TrueLabel],
                    m.PredictedLabel, names[m.PredictedLabel], m.Confidence, Thumbnail.Of(data, m.Index)))
                .ToArray();
        }

        private RunSettings DescribeRun() => new()
        {
            Architecture = _s.Baseline is { } baseline
                ? $"{NetworkBlueprint.BaselineCnnName} [{string.Join(", ", baseline.Channels)}]"
                : _s.Architecture!.Name,
            WeightsSource = _s.ContinueFromModelPath is { } model ? $"continued from the model {model}"
                : _s.WeightsPath ?? _s.Weights?.Name ?? "none (from scratch)",
            InputSize = _s.InputSize,
            Units = _net.Units.Select(u => u.Name).ToArray(),
            FrozenUnits = _frozen,
            TrainFrozenBatchNorm = _trainer.FreezePlan.TrainFrozenBatchNorm,
            TrainableParameters = _trainer.TrainableParameterCount,
            FrozenParameters = _trainer.FrozenParameterCount,
            Head = _s.Head.Describe(_trainer.ClassNames.Count),
            ClassNames = _trainer.ClassNames,
            Optimizer = _o.Optimizer switch
            {
                OptimizerKind.Sgd => Invariant($"SGD (momentum {_o.Momentum}, weight decay {_o.WeightDecay})"),
                OptimizerKind.AdamW => Invariant($"AdamW (decoupled weight decay {_o.WeightDecay})"),
                _ => Invariant($"{_o.Optimizer} (weight decay {_o.WeightDecay})"),
            },
            LearningRate = _plan.LearningRate,
            BackboneLearningRateMultiplier = _o.BackboneLearningRateMultiplier,
            Schedule = SettingsText.Schedule(_o.Schedule),
            Epochs = _plan.Epochs,
            BatchSize = _o.BatchSize,
            Seed = _o.Seed,
            Augmentation = SettingsText.Augmentation(_o.Augmentation),
            CacheDecision = _trainer.CacheDecision ?? "not decided",
            FrozenPrecision = FrozenInBFloat16 ? "bfloat16"
                : _frozen > 0 && _o.FrozenPrecision == InferencePrecision.BFloat16 ? $"float32 (bfloat16 unavailable: {InferencePrecisionSupport.UnavailableReason(_o.FrozenPrecision)})"
                : "float32",
            EarlyStopping = SettingsText.EarlyStopping(_o.EarlyStopping),
            TrainingImages = _train.Count,
            ValidationImages = _validation?.Count,
            BadImagesSkipped = _trainer.BadImages?.Count ?? 0,
            BadImages = _trainer.BadImages?.Items ?? [],
            DataRoot = SourcePaths.CommonFolder(SourceNames(_train).Concat(_validation is { } v ? SourceNames(v) : [])),
            Threads = Parallelism.DegreeOfParallelism,
            LibraryVersion = LibraryVersion.Current,
            StartedAt = _started,
        };

        private static IEnumerable<string> SourceNames(IImageDataset data) => Enumerable.Range(0, data.Count).Select(data.GetSourceName);

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}
