using TransferKit.Autograd;
using TransferKit.Data.Augmentation;
using TransferKit.Data.Datasets;
using TransferKit.Data.Loading;
using TransferKit.Data.Preprocessing;
using TransferKit.Tensors;
using TransferKit.Training.Callbacks;

namespace TransferKit.Api;

public sealed partial class ImageClassifierTrainer
{
    /// <summary>
    /// Runs the learning-rate range test on <paramref name="train"/> with the trainer's optimizer, freeze and head
    /// (see <see cref="LearningRateFinderOptions"/>), then puts every weight and BatchNorm statistic back as it was.
    /// Pick a rate near <see cref="LearningRateFinderResult.Suggestion"/> for <see cref="TrainingOptions.LearningRate"/>;
    /// the rules leave out the warm-up and the divergent tail as fastai's <c>lr_find</c> does
    /// (<see cref="LearningRateFinderOptions.SkipStartFraction"/>, <see cref="LearningRateFinderOptions.SkipEndPoints"/>).
    /// </summary>
    /// <param name="train">Labelled training images (cycled when the sweep needs more batches).</param>
    /// <param name="options">Sweep settings, or null for the defaults (1e-7 to 10 over 100 batches).</param>
    /// <param name="progress">Per-batch progress (<see cref="TrainingPhase.Training"/>, epoch 1 of 1), or null.</param>
    /// <param name="cancellationToken">Stops the sweep between batches; the weights are restored.</param>
    /// <exception cref="ArgumentException">An option is out of range, or the dataset does not fit the classes.</exception>
    public Task<LearningRateFinderResult> FindLearningRateAsync(IImageDataset train, LearningRateFinderOptions? options = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        var f = options ?? new LearningRateFinderOptions();
        f.Validate();
        return Task.Run(() => WithData(train, null, (t, _) =>
            new FitRun(this, t, null, progress, cancellationToken, RunPlan.Whole(_settings.Training)).FindLearningRate(f)), cancellationToken);
    }

    private sealed partial class FitRun
    {
        public LearningRateFinderResult FindLearningRate(LearningRateFinderOptions f)
        {
            var spec = _trainer.Preprocessing;
            IImageTransform transform = _o.Augmentation.IsEnabled ? new TrainingTransform(spec, _o.Augmentation) : new EvaluationTransform(spec);
            var loaderOptions = new DataLoaderOptions { BatchSize = _o.BatchSize, Shuffle = true, Seed = _o.Seed, Workers = _o.LoaderWorkers, BadImagePolicy = _o.BadImages };
            using var loader = new DataLoader(_train, transform, loaderOptions);
            var saved = Snapshot();
            var curve = new List<LearningRatePoint>();
            bool diverged = false;
            try
            {
                using var optimizer = CreateOptimizer();
                double average = 0, best = double.PositiveInfinity;
                for (int epoch = 0; curve.Count < f.Steps && !diverged; epoch++)
                {
                    ReseedDropout(epoch);
                    int before = curve.Count;
                    foreach (var batch in loader.GetEpoch(epoch, _ct))
                    {
                        using (batch)
                        {
                            int i = curve.Count;
                            double lr = f.StartLearningRate * Math.Pow(f.EndLearningRate / f.StartLearningRate, (double)i / (f.Steps - 1));
                            optimizer.LearningRate = (float)lr;
                            double loss = TrainBatch(batch.Images, batch.Labels, optimizer);
                            average = f.Smoothing * average + (1 - f.Smoothing) * loss;
                            double smoothed = average / (1 - Math.Pow(f.Smoothing, i + 1));
                            curve.Add(new LearningRatePoint(lr, loss, smoothed));
                            _callbacks.OnBatchEnd(new TrainingProgress(TrainingPhase.Training, 1, 1, i, f.Steps, 0, loss, lr));
                            if (!double.IsFinite(smoothed) || smoothed > f.DivergenceFactor * best) diverged = true;
                            best = Math.Min(best, smoothed);
                            if (diverged || curve.Count == f.Steps) break;
                        }
                    }
                    if (curve.Count == before) throw new ArgumentException("The training set gave no readable batch.", nameof(f));
                }
            }
            finally
            {
                Restore(saved);
                foreach (var (_, p) in _net.NamedParameters()) p.ZeroGrad();
                _net.Eval();
                _classWeights?.Dispose();
            }
            return Suggest(curve, diverged, f);
        }

        /// <summary>One optimizer step; returns the batch's loss (not guarded: divergence is what the sweep looks for).</summary>
        private double TrainBatch(Tensor images, int[] labels, Training.Optimizers.Optimizer optimizer)
        {
            _ct.ThrowIfCancellationRequested();
            _trainer.FreezePlan.SetTrainingMode(_net);
            using var scope = TensorScope.Begin();
            Tensor x = images;
            if (_frozen > 0)
            {
                using var noGrad = GradMode.NoGrad();
                using var precision = FrozenPrecision();
                x = _net.ForwardUnits(images, 0, _frozen);
            }
            using var tape = Tape.Begin();
            optimizer.ZeroGrad();
            var loss = Loss(_net.ApplyHead(_net.ForwardUnits(x, _frozen, _net.Units.Count)), labels);
            float value = loss.Item();
            if (!float.IsFinite(value)) return value;
            tape.Backward(loss);
            optimizer.Step();
            return value;
        }

        private static LearningRateFinderResult Suggest(List<LearningRatePoint> curve, bool diverged, LearningRateFinderOptions f)
        {
            var (first, end) = LearningRateSuggestions.Window(curve, f.Steps, f.SkipStartFraction, f.SkipEndPoints);
            var (valley, steepest, minimum) = LearningRateSuggestions.Suggest(curve, first, end);
            return new LearningRateFinderResult(curve, diverged, f.Rule, first, end, valley, steepest, minimum);
        }
    }
}
