using System.Diagnostics;
using TransferKit.Autograd;
using TransferKit.Data.Augmentation;
using TransferKit.Data.Datasets;
using TransferKit.Data.Loading;
using TransferKit.Data.Preprocessing;
using TransferKit.Evaluation;
using TransferKit.Kernels;
using TransferKit.Models;
using TransferKit.Models.Onnx;
using TransferKit.Nn;
using TransferKit.Reporting;
using TransferKit.Tensors;
using TransferKit.Training;
using TransferKit.Training.Callbacks;
using TransferKit.Training.Checkpoints;
using TransferKit.Training.Caching;
using TransferKit.Training.EarlyStopping;
using TransferKit.Training.Optimizers;
using TransferKit.Training.Schedules;

using TransferKit.Models.Inference;

namespace TransferKit.Api;

public sealed partial class ImageClassifierTrainer
{
    /// <summary>
    /// Trains on <paramref name="train"/>. With a frozen prefix and no augmentation, the prefix's output is computed once per
    /// image and cached; every epoch then runs only the trainable suffix. Reports progress per batch and a result per epoch;
    /// honours <paramref name="cancellationToken"/> within one batch. Bad images are skipped and reported (or fail the run in strict mode).
    /// </summary>
    /// <param name="train">Labelled training images; its class names must match the trainer's.</param>
    /// <param name="validation">Labelled validation images, or null (see <see cref="TrainingOptions.ValidationFraction"/>).</param>
    /// <param name="progress">Per-batch progress, or null.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    /// <returns>Per-epoch results, the best epoch and whether early stopping ended the run.</returns>
    /// <exception cref="ArgumentException">The datasets do not fit the trainer's classes.</exception>
    /// <exception cref="NonFiniteLossException">The loss became NaN or infinite (the message names epoch and batch).</exception>
    public Task<TrainingResult> FitAsync(IImageDataset train, IImageDataset? validation = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        return Task.Run(() => WithData(train, validation, (t, v) =>
            new FitRun(this, t, v, progress, cancellationToken, RunPlan.Whole(_settings.Training)).Run()), cancellationToken);
    }

    /// <summary>
    /// Prepares the network for the training set's classes, holds out the validation fraction when no validation set is
    /// given, checks the classes and runs <paramref name="body"/> with the run's thread count in force.
    /// </summary>
    private T WithData<T>(IImageDataset train, IImageDataset? validation, Func<IImageDataset, IImageDataset?, T> body)
    {
        var o = _settings.Training;
        int savedDegree = Parallelism.DegreeOfParallelism;
        if (o.DegreeOfParallelism is int degree) Parallelism.DegreeOfParallelism = degree;
        try
        {
            if (!train.IsLabeled) throw new ArgumentException("The training set has no labels.", nameof(train));
            if (_network is null) Prepare(train.ClassNames);
            RequireSameClasses(train, "training");
            if (validation is null && o.ValidationFraction > 0)
            {
                var split = train.Split(1 - o.ValidationFraction, o.ValidationFraction, 0, o.Seed);
                (train, validation) = (split.Train, split.Validation);
            }
            if (validation is not null) RequireSameClasses(validation, "validation");
            return body(train, validation);
        }
        finally
        {
            Parallelism.DegreeOfParallelism = savedDegree;
        }
    }

    private void RequireSameClasses(IImageDataset data, string role)
    {
        if (!data.ClassNames.SequenceEqual(ClassNames))
            throw new ArgumentException($"The {role} set's classes ({string.Join(", ", data.ClassNames)}) differ from the trainer's ({string.Join(", ", ClassNames)}).");
    }

    /// <summary>One call of FitAsync: its loaders, caches, optimizer and bookkeeping.</summary>
    private sealed partial class FitRun
    {
        private readonly RunPlan _plan;
        private readonly ImageClassifierTrainer _trainer;
        private readonly TrainerSettings _s;
        private readonly TrainingOptions _o;
        private readonly ConvNet _net;
        private readonly IImageDataset _train;
        private readonly IImageDataset? _validation;
        private readonly CancellationToken _ct;
        private readonly CallbackList _callbacks;
        private readonly int _frozen;
        private readonly Tensor? _classWeights;

        public FitRun(ImageClassifierTrainer trainer, IImageDataset train, IImageDataset? validation, IProgress<TrainingProgress>? progress, CancellationToken ct, RunPlan plan)
        {
            _plan = plan;
            _trainer = trainer;
            _s = trainer._settings;
            _o = _s.Training;
            _net = trainer.Network;
            _train = train;
            _validation = validation;
            _ct = ct;
            _callbacks = new CallbackList(_s.Callbacks);
            if (progress is not null) _callbacks.Add(new ProgressCallback(progress));
            _frozen = trainer.FreezePlan.FrozenUnits;
            _classWeights = _o.ClassWeights is { } w ? Tensor.FromSpan(w.ToArray(), new Shape(w.Count)).Persist() : null;
        }

        private bool Sigmoid => _s.Head.Output == HeadOutput.Sigmoid;

        public TrainingResult Run()
        {
            var clock = Stopwatch.StartNew();
            var spec = _trainer.Preprocessing;
            var evalTransform = new EvaluationTransform(spec);
            IImageTransform trainTransform = _o.Augmentation.IsEnabled ? new TrainingTransform(spec, _o.Augmentation) : evalTransform;
            var loaderOptions = new DataLoaderOptions { BatchSize = _o.BatchSize, Shuffle = true, Seed = _o.Seed, Workers = _o.LoaderWorkers, BadImagePolicy = _o.BadImages };
            using var trainLoader = new DataLoader(_train, trainTransform, loaderOptions);
            using var validationLoader = _validation is null ? null : new DataLoader(_validation, evalTransform, loaderOptions with { Shuffle = false });
            using var optimizer = CreateOptimizer();
            bool cacheable = _o.UseActivationCache && _frozen > 0 && _trainer.FreezePlan.PrefixIsFixed && !trainTransform.IsRandom;
            _trainer.CacheDecision = cacheable ? null : CacheOffReason(trainTransform);
            _trainer.BadImages = null;

            ActivationCache? trainCache = null, validationCache = null;
            // The frozen prefix runs with its batch norm folded and its convolutions fused for the whole fit: the cache
            // fill, and every step when there is no cache. Pairs that train stay plain (a folded pair needs frozen weights).
            var folding = BatchNormFolding.FoldUnlessFolded(_net);
            try
            {
                _callbacks.OnTrainBegin(new TrainingStart(_plan.Epochs, trainLoader.BatchesPerEpoch, _train.Count, _validation?.Count));
                WarnIfFrozenWeightsAreRandom();
                WarnIfBFloat16Unavailable();
                if (cacheable)
                {
                    trainCache = FillCache(trainLoader, "train");
                    if (validationLoader is not null && trainCache is not null) validationCache = FillCache(validationLoader, "validation");
                }
                var epochs = new List<EpochResult>();
                var tracker = _o.EarlyStopping is { } es ? new EarlyStoppingTracker(es) : null;
                Dictionary<string, float[]>? best = null;
                bool stoppedEarly = false;
                int start = 0;
                if (_plan.Resume is { } resume) (start, best, stoppedEarly) = Restore(resume, optimizer, tracker, epochs, trainLoader.BatchesPerEpoch);
                else if (_plan.CheckpointDirectory is { } folder) TrainingCheckpoint.DeleteAll(folder);
                for (int epoch = start; epoch < _plan.Epochs && !stoppedEarly; epoch++)
                {
                    _ct.ThrowIfCancellationRequested();
                    ReseedDropout(epoch);
                    double lr = _o.Schedule.ApplyTo(optimizer, _plan.LearningRate, new SchedulePosition(epoch, 0, Math.Max(1, trainLoader.BatchesPerEpoch)));
                    _callbacks.OnEpochBegin(new EpochStart(epoch + 1, _plan.Epochs, lr));
                    var epochClock = Stopwatch.StartNew();
                    var trained = trainCache is not null ? TrainEpochFromCache(trainCache, trainLoader, optimizer, epoch) : TrainEpoch(trainLoader, optimizer, epoch);
                    var duration = epochClock.Elapsed;
                    (double Loss, double Accuracy)? validated = validationLoader is null ? null : Validate(validationLoader, validationCache);
                    // Loop indices are zero-based (schedules, seeds, checkpoints count finished epochs); people and the API count from 1.
                    var result = new EpochResult(epoch + 1, trained.Loss, trained.Accuracy, validated?.Loss, validated?.Accuracy,
                        optimizer.LearningRate, duration, trained.Count / Math.Max(duration.TotalSeconds, 1e-9));
                    epochs.Add(result);
                    var decision = tracker?.Observe(result);
                    if (decision == EarlyStoppingDecision.Improved && tracker!.Options.RestoreBestWeights) best = Snapshot();
                    stoppedEarly = decision == EarlyStoppingDecision.Stop;
                    // Written before the callbacks see the epoch, so a callback that cancels leaves this epoch's checkpoint behind.
                    WriteCheckpoint(optimizer, epochs, tracker, best, trainLoader.BatchesPerEpoch);
                    _callbacks.OnEpochEnd(result);
                }
                if (best is not null) Restore(best);
                var wrong = NewWrongCollector();
                if (validationLoader is not null) _trainer.ValidationReport = Report(validationLoader, validationCache, wrong);
                _trainer.BadImages ??= trainLoader.BadImages;
                _net.Eval();
                // The model folds the whole network for prediction; a second fit (the fine-tune's next phase) trains the same
                // network, and the new model takes over from the earlier one.
                folding?.Dispose();
                folding = null;
                _trainer._model?.Folding.Dispose();
                _trainer._model = new TrainedModel(_net, _trainer.Metadata());
                var summary = new TrainingResult(epochs, tracker?.BestEpoch, stoppedEarly, clock.Elapsed)
                {
                    ValidationReport = validationLoader is null ? null : _trainer.ValidationReport,
                    LearningRates = _learningRates,
                    ConfidentlyWrong = Misclassified(wrong),
                    Settings = DescribeRun(),
                    Warnings = _warnings,
                };
                _callbacks.OnTrainEnd(summary);
                return summary;
            }
            finally
            {
                folding?.Dispose();
                trainCache?.Dispose();
                validationCache?.Dispose();
                _classWeights?.Dispose();
            }
        }

        private string CacheOffReason(IImageTransform trainTransform) =>
            !_o.UseActivationCache ? "off: UseActivationCache is false"
            : _frozen == 0 ? "off: nothing is frozen"
            : !_trainer.FreezePlan.PrefixIsFixed ? "off: BatchNorm in the frozen units trains"
            : trainTransform.IsRandom ? "off: augmentation changes the frozen units' input every epoch"
            : "off";

        private Optimizer CreateOptimizer()
        {
            var groups = ParameterGroups();
            float lr = (float)_plan.LearningRate, wd = (float)_o.WeightDecay;
            return _o.Optimizer switch
            {
                OptimizerKind.Sgd => new Sgd(groups, lr, (float)_o.Momentum, wd),
                OptimizerKind.AdamW => new AdamW(groups, lr, weightDecay: wd),
                _ => new Adam(groups, lr, weightDecay: wd),
            };
        }

        /// <summary>One group per trainable unit plus the head, with multipliers spread geometrically up to 1 at the head.</summary>
        private IReadOnlyList<ParameterGroup> ParameterGroups()
        {
            var headParams = _net.Head.NamedParameters().Select(kv => kv.Value).ToList();
            var unitParams = _net.Units.Select(u => u.Modules.SelectMany(m => m.NamedParameters()).Select(kv => kv.Value).ToList()).ToList();
            if (_o.BackboneLearningRateMultiplier >= 1)
                return [new ParameterGroup(unitParams.SelectMany(p => p).Concat(headParams).ToList())];
            int first = Math.Min(_frozen, unitParams.Count);
            var trainableUnits = unitParams.Skip(first).ToList();
            var multipliers = DiscriminativeLearningRates.Multipliers(_o.BackboneLearningRateMultiplier, 1, trainableUnits.Count + 1);
            var groups = new List<ParameterGroup>();
            // Frozen units may still hold trainable BatchNorm parameters (train_bn): they learn at the lowest rate.
            groups.Add(new ParameterGroup(unitParams.Take(first).SelectMany(p => p).ToList(), multipliers[0]));
            for (int i = 0; i < trainableUnits.Count; i++) groups.Add(new ParameterGroup(trainableUnits[i], multipliers[i]));
            groups.Add(new ParameterGroup(headParams, multipliers[^1]));
            return groups;
        }

        private (double Loss, double Accuracy, int Count) TrainEpoch(DataLoader loader, Optimizer optimizer, int epoch)
        {
            var totals = new EpochTotals();
            foreach (var batch in loader.GetEpoch(_plan.DataEpoch(epoch), _ct))
            {
                using (batch) Step(batch.Images, batch.Labels, fromCache: false, optimizer, epoch, batch.BatchIndex, loader.BatchesPerEpoch, totals);
            }
            return totals.Result;
        }

        private (double Loss, double Accuracy, int Count) TrainEpochFromCache(ActivationCache cache, DataLoader loader, Optimizer optimizer, int epoch)
        {
            var totals = new EpochTotals();
            // The loader's own order for this epoch, so cached and uncached runs see the same batches.
            var order = loader.GetEpochOrder(_plan.DataEpoch(epoch)).Where(cache.IsFilled).ToArray();
            int batches = (order.Length + _o.BatchSize - 1) / _o.BatchSize;
            for (int b = 0; b < batches; b++)
            {
                var indices = order.AsSpan(b * _o.BatchSize, Math.Min(_o.BatchSize, order.Length - b * _o.BatchSize));
                var labels = new int[indices.Length];
                for (int i = 0; i < labels.Length; i++) labels[i] = _train.GetLabel(indices[i]);
                using var features = cache.Gather(indices);
                Step(features, labels, fromCache: true, optimizer, epoch, b, batches, totals);
            }
            return totals.Result;
        }

        private void Step(Tensor input, int[] labels, bool fromCache, Optimizer optimizer, int epoch, int batch, int batches, EpochTotals totals)
        {
            _ct.ThrowIfCancellationRequested();
            double lr = _o.Schedule.ApplyTo(optimizer, _plan.LearningRate, new SchedulePosition(epoch, batch, Math.Max(1, batches)));
            _learningRates.Add(new LearningRateStep(epoch + ((double)batch / Math.Max(1, batches)), lr));
            _trainer.FreezePlan.SetTrainingMode(_net);
            using var scope = TensorScope.Begin();
            Tensor x = input;
            if (!fromCache && _frozen > 0)
            {
                using var noGrad = GradMode.NoGrad();
                using var precision = FrozenPrecision();
                x = _net.ForwardUnits(input, 0, _frozen);
            }
            CheckFrozenFeatures(x);
            using var tape = Tape.Begin();
            optimizer.ZeroGrad();
            var logits = _net.ApplyHead(_net.ForwardUnits(x, _frozen, _net.Units.Count));
            var loss = Loss(logits, labels);
            float value = loss.Item();
            LossGuard.EnsureFinite(value, epoch, batch);
            int correct = Correct(logits, labels);
            tape.Backward(loss);
            optimizer.Step();
            totals.Add(value, correct, labels.Length);
            _callbacks.OnBatchEnd(new TrainingProgress(TrainingPhase.Training, epoch + 1, _plan.Epochs, batch, batches, totals.ImagesPerSecond, value, lr));
        }

        private Tensor Loss(Tensor logits, int[] labels)
        {
            if (!Sigmoid) return Ops.CrossEntropy(logits, labels, _classWeights, _o.LabelSmoothing);
            var targets = Tensor.Empty(logits.Shape);
            for (int i = 0; i < labels.Length; i++) targets.Span[i] = labels[i];
            return Ops.BinaryCrossEntropyWithLogits(logits, targets);
        }

        private int Correct(Tensor logits, int[] labels)
        {
            if (!Sigmoid) return ClassificationMetrics.CountCorrect(logits, labels);
            int correct = 0;
            for (int i = 0; i < labels.Length; i++) correct += (logits.Span[i] > 0 ? 1 : 0) == labels[i] ? 1 : 0;
            return correct;
        }

        private (double Loss, double Accuracy) Validate(DataLoader loader, ActivationCache? cache)
        {
            var totals = new EpochTotals();
            ForEachValidationBatch(loader, cache, (logits, labels, _) =>
            {
                using var scope = TensorScope.Begin();
                totals.Add(Loss(logits, labels).Item(), Correct(logits, labels), labels.Length);
            });
            var r = totals.Result;
            return (r.Loss, r.Accuracy);
        }

        private ClassificationReport Report(DataLoader loader, ActivationCache? cache, ConfidentlyWrongCollector wrong)
        {
            var evaluator = new ClassificationEvaluator(_trainer.ClassNames);
            ForEachValidationBatch(loader, cache, (logits, labels, indices) =>
            {
                using var scope = TensorScope.Begin();
                var probabilities = Probabilities.From(logits, Sigmoid);
                if (Sigmoid) evaluator.AddBinary(probabilities.ReadOnlySpan, labels);
                else evaluator.Add(probabilities.ReadOnlySpan, labels);
                wrong.Add(probabilities.ReadOnlySpan, labels, indices, Sigmoid);
            });
            return evaluator.ToReport();
        }

        /// <summary>Runs the whole network in evaluation mode over a labelled set (from the cache when there is one); passes logits, labels and dataset indices.</summary>
        private void ForEachValidationBatch(DataLoader loader, ActivationCache? cache, Action<Tensor, int[], int[]> consume)
        {
            _net.Eval();
            using var noGrad = GradMode.NoGrad();
            if (cache is not null)
            {
                var filled = Enumerable.Range(0, cache.Count).Where(cache.IsFilled).ToArray();
                for (int start = 0; start < filled.Length; start += _o.BatchSize)
                {
                    var indices = filled.AsSpan(start, Math.Min(_o.BatchSize, filled.Length - start));
                    int[] batch = indices.ToArray();
                    var labels = batch.Select(loader.Dataset.GetLabel).ToArray();
                    using var scope = TensorScope.Begin();
                    var features = cache.Gather(indices);
                    consume(_net.ApplyHead(_net.ForwardUnits(features, _frozen, _net.Units.Count)), labels, batch);
                }
                return;
            }
            foreach (var batch in loader.GetEpoch(0, _ct))
            {
                using var scope = TensorScope.Begin();
                using (batch) consume(ForwardForValidation(batch.Images), batch.Labels, batch.Indices);
            }
        }

        /// <summary>The whole network's logits in evaluation mode, its frozen units in their own precision as in training.</summary>
        private Tensor ForwardForValidation(Tensor images)
        {
            if (!FrozenInBFloat16) return _net.Forward(images);
            Tensor features;
            using (FrozenPrecision()) features = _net.ForwardUnits(images, 0, _frozen);
            return _net.ApplyHead(_net.ForwardUnits(features, _frozen, _net.Units.Count));
        }

        private Dictionary<string, float[]> Snapshot() => _net.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());

        private void Restore(Dictionary<string, float[]> snapshot)
        {
            foreach (var (key, t) in _net.StateDict()) snapshot[key].CopyTo(t.Span);
        }
    }

    private ModelMetadata Metadata() => new()
    {
        Network = new NetworkBlueprint
        {
            Architecture = _settings.Baseline is not null ? NetworkBlueprint.BaselineCnnName
                : Network is OnnxBackbone ? NetworkBlueprint.OnnxName : _settings.Architecture!.Name,
            BaselineChannels = _settings.Baseline?.Channels,
            Onnx = Network is OnnxBackbone onnx ? OnnxBlueprint.Of(onnx, Preprocessing.InputSize) : null,
            Classes = ClassNames.Count,
            Head = _settings.Head,
            FeatureMapShape = FeatureMap,
        },
        ClassNames = ClassNames,
        Preprocessing = Preprocessing,
        Notes = new Dictionary<string, string>
        {
            ["freeze"] = $"{FreezePlan.FrozenUnits} of {Network.Units.Count} units frozen",
            ["weights"] = _settings.WeightsPath ?? _settings.Weights?.Name ?? _settings.BackboneWeights
                ?? (Network is OnnxBackbone ? "the ONNX graph's own" : "none (from scratch)"),
            ["head"] = _settings.Head.Describe(ClassNames.Count),
        },
    };
}
