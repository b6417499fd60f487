using TransferKit.Api;
using TransferKit.Data.Datasets;

namespace TransferKit.Samples.DogsVsCats;

/// <summary>
/// Trains each candidate on the same split with the same settings, evaluates it on train, validation and test, saves the
/// model with the best validation accuracy and predicts a few test images with it.
/// </summary>
public static class TransferComparison
{
    /// <summary>Runs the comparison.</summary>
    /// <param name="candidates">The models to train, in order.</param>
    /// <param name="split">Training, validation and test sets (labelled, same classes).</param>
    /// <param name="settings">Shared training settings.</param>
    /// <param name="modelPath">Where the best model is saved (overwritten).</param>
    /// <param name="reporter">Progress output.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    public static async Task<ComparisonResult> RunAsync(IReadOnlyList<Candidate> candidates, DatasetSplit split, ExperimentSettings settings,
        string modelPath, IExperimentReporter reporter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(reporter);
        if (candidates.Count == 0) throw new ArgumentException("There is nothing to compare.", nameof(candidates));

        var rows = new List<CandidateResult>();
        CandidateResult? best = null;
        BadImageReport? badImages = null;
        foreach (var candidate in candidates)
        {
            var builder = ImageClassifier.Create()
                .LogToConsole(false) // the reporter shows progress
                .WithInputSize(settings.ImageSize)
                .WithTraining(o =>
                {
                    o.Epochs = settings.Epochs;
                    o.BatchSize = settings.BatchSize;
                    o.LearningRate = candidate.LearningRate;
                    o.Seed = settings.Seed;
                });
            using var trainer = candidate.Configure(builder).Build();
            var fit = candidate.FineTune is { } unfreeze
                ? await reporter.TrackAsync(candidate.Name, async progress =>
                {
                    var phases = await trainer.FineTuneAsync(split.Train, split.Validation, settings.Epochs, settings.Epochs, unfreeze,
                        candidate.LearningRate / settings.FineTuneLearningRate, progress, cancellationToken).ConfigureAwait(false);
                    return phases.Unfrozen with
                    {
                        TotalTime = phases.Frozen.TotalTime + phases.Unfrozen.TotalTime,
                        Warnings = [.. phases.Frozen.Warnings.Union(phases.Unfrozen.Warnings)],
                    };
                }).ConfigureAwait(false)
                : await reporter.TrackAsync(candidate.Name, progress => trainer.FitAsync(split.Train, split.Validation, progress, cancellationToken)).ConfigureAwait(false);
            // Random frozen weights or near-zero features make a candidate's numbers meaningless: say so beside them.
            foreach (var warning in fit.Warnings) reporter.Info($"{candidate.Name}: {warning}");
            var model = trainer.Model;
            var row = new CandidateResult(candidate.Name, model.Evaluate(split.Train), model.Evaluate(split.Validation), model.Evaluate(split.Test),
                fit.TotalTime, trainer.TrainableParameterCount, trainer.Network.ParameterCount(), trainer.BadImages?.Count ?? 0);
            rows.Add(row);
            if (badImages is null && trainer.BadImages is { Count: > 0 } bad) badImages = bad;
            if (best is null || row.Validation.Accuracy > best.Validation.Accuracy)
            {
                // Only the best so far is kept on disk, so no model outlives its trainer in memory.
                model.Save(modelPath);
                best = row;
            }
        }

        return new ComparisonResult(rows, best!, modelPath, Predict(modelPath, split.Test, settings.PredictionsShown), badImages);
    }

    /// <summary>Predicts <paramref name="count"/> test images spread evenly over the set (which is ordered by class).</summary>
    private static List<SamplePrediction> Predict(string modelPath, IImageDataset test, int count)
    {
        using var model = TrainedModel.Load(modelPath);
        var predictions = new List<SamplePrediction>();
        count = Math.Min(count, test.Count);
        for (int k = 0; k < count; k++)
        {
            int index = (int)((long)k * test.Count / count);
            try
            {
                var p = model.Predict([test.Decode(index)])[0];
                predictions.Add(new SamplePrediction(test.GetSourceName(index), test.ClassNames[test.GetLabel(index)], p.Label, p.Confidence));
            }
            catch (Data.Decoding.ImageDecodeException)
            {
                // An unreadable test image is already counted in the bad-image report; show the next one instead.
            }
        }
        return predictions;
    }
}
