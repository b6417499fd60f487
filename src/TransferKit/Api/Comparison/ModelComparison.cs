using System.Diagnostics;
using TransferKit.Data.Datasets;

namespace TransferKit.Api;

/// <summary>
/// Trains several candidate classifiers (e.g. a baseline from scratch, a frozen transfer, a fine-tuned one, other
/// architectures) on the same training and validation sets, one after another, and ranks them in a
/// <see cref="Leaderboard"/> with accuracy, cost and size side by side.
/// </summary>
/// <example>
/// <code>
/// var board = await new ModelComparison()
///     .Add("scratch", ImageClassifier.Create().UseBaselineCnn().WithTraining(o => o.Epochs = 20))
///     .Add("frozen MobileNetV2", ImageClassifier.Create().UseArchitecture(Architectures.MobileNetV2).UsePretrainedWeights(path))
///     .RunAsync(train, validation);
/// Console.WriteLine(board);
/// </code>
/// </example>
public sealed class ModelComparison
{
    private readonly List<(string Name, ImageClassifierBuilder Builder)> _candidates = [];

    /// <summary>The candidates' names in the order added.</summary>
    public IReadOnlyList<string> Names => _candidates.Select(c => c.Name).ToArray();

    /// <summary>Adds a candidate; its builder is built (and validated) when the comparison runs.</summary>
    /// <exception cref="ArgumentException">The name is empty or already used.</exception>
    public ModelComparison Add(string name, ImageClassifierBuilder builder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(builder);
        if (_candidates.Any(c => c.Name == name)) throw new ArgumentException($"A candidate is already called '{name}'.", nameof(name));
        _candidates.Add((name, builder));
        return this;
    }

    /// <summary>
    /// Trains every candidate on <paramref name="train"/>, evaluates it on <paramref name="validation"/> (timing the
    /// evaluation for the inference cost), saves it to a temporary file to measure its size, and ranks them.
    /// </summary>
    /// <param name="train">Labelled training images, shared by all candidates.</param>
    /// <param name="validation">Labelled validation images, shared by all candidates.</param>
    /// <param name="progress">Reports each finished candidate's entry, or null.</param>
    /// <param name="cancellationToken">Stops the candidate in training and skips the rest.</param>
    /// <returns>The leaderboard, best validation accuracy first.</returns>
    /// <exception cref="InvalidOperationException">No candidate was added.</exception>
    /// <exception cref="ArgumentException">A candidate's options are invalid (the message names the candidate).</exception>
    public async Task<Leaderboard> RunAsync(IImageDataset train, IImageDataset validation, IProgress<LeaderboardEntry>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        if (_candidates.Count == 0) throw new InvalidOperationException("Add at least one candidate before running the comparison.");
        var entries = new List<LeaderboardEntry>();
        foreach (var (name, builder) in _candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ImageClassifierTrainer trainer;
            try
            {
                trainer = builder.Build();
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Candidate '{name}': {e.Message}", e.ParamName, e);
            }
            using (trainer)
            {
                var clock = Stopwatch.StartNew();
                await trainer.FitAsync(train, null, null, cancellationToken).ConfigureAwait(false);
                var trainTime = clock.Elapsed;
                clock.Restart();
                double accuracy = trainer.Model.Evaluate(validation).Accuracy;
                double msPerImage = clock.Elapsed.TotalMilliseconds / Math.Max(1, validation.Count);
                var entry = new LeaderboardEntry(name, accuracy, trainTime, trainer.TrainableParameterCount,
                    trainer.Network.ParameterCount(), ModelFileSize(trainer.Model), msPerImage);
                entries.Add(entry);
                progress?.Report(entry);
            }
        }
        return new Leaderboard(entries);
    }

    private static long ModelFileSize(TrainedModel model)
    {
        string path = Path.Combine(Path.GetTempPath(), $"transferkit-compare-{Guid.NewGuid():N}.safetensors");
        try
        {
            model.Save(path);
            return new FileInfo(path).Length;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
