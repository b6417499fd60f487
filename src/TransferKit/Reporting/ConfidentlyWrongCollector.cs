namespace TransferKit.Reporting;

/// <summary>
/// Keeps the <see cref="Capacity"/> wrong predictions with the highest confidence while batches of probabilities
/// stream past, in O(capacity) memory. The predicted class follows <see cref="Evaluation.ClassificationEvaluator"/>:
/// the first arg-max of a softmax row, or class 1 when a sigmoid output is above the threshold. Ties in confidence
/// go to the lower dataset index, so the choice does not depend on batch order.
/// </summary>
internal sealed class ConfidentlyWrongCollector
{
    /// <summary>How many images a report shows by default.</summary>
    public const int DefaultCapacity = 16;

    private readonly int _classes;
    private readonly float _threshold;
    private readonly List<Candidate> _kept = [];

    /// <param name="classes">Number of classes C (softmax rows are C wide).</param>
    /// <param name="capacity">How many to keep (at least 0).</param>
    /// <param name="binaryThreshold">Sigmoid outputs above this predict class 1.</param>
    public ConfidentlyWrongCollector(int classes, int capacity = DefaultCapacity, float binaryThreshold = 0.5f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _classes = classes;
        Capacity = capacity;
        _threshold = binaryThreshold;
    }

    /// <summary>How many are kept.</summary>
    public int Capacity { get; }

    /// <summary>Adds a batch.</summary>
    /// <param name="probabilities">[N, C] softmax rows, or [N] probabilities of class 1 when <paramref name="sigmoid"/>.</param>
    /// <param name="labels">N true labels.</param>
    /// <param name="indices">N dataset indices.</param>
    /// <param name="sigmoid">Whether the rows are single sigmoid outputs.</param>
    /// <exception cref="ArgumentException">The lengths disagree.</exception>
    public void Add(ReadOnlySpan<float> probabilities, ReadOnlySpan<int> labels, ReadOnlySpan<int> indices, bool sigmoid)
    {
        int width = sigmoid ? 1 : _classes;
        if (labels.Length != indices.Length || probabilities.Length != labels.Length * width)
            throw new ArgumentException($"{labels.Length} labels, {indices.Length} indices and {probabilities.Length} probabilities do not describe one batch of {width}-wide rows.", nameof(probabilities));
        for (int i = 0; i < labels.Length; i++)
        {
            int predicted;
            float confidence;
            if (sigmoid)
            {
                float p = probabilities[i];
                predicted = p > _threshold ? 1 : 0;
                confidence = predicted == 1 ? p : 1 - p;
            }
            else
            {
                var row = probabilities.Slice(i * width, width);
                predicted = 0;
                for (int c = 1; c < width; c++) if (row[c] > row[predicted]) predicted = c;
                confidence = row[predicted];
            }
            if (predicted != labels[i]) Offer(new Candidate(indices[i], labels[i], predicted, confidence));
        }
    }

    /// <summary>The kept predictions, most confident first.</summary>
    public IReadOnlyList<(int Index, int TrueLabel, int PredictedLabel, float Confidence)> Result =>
        _kept.Select(c => (c.Index, c.TrueLabel, c.PredictedLabel, c.Confidence)).ToArray();

    private void Offer(Candidate candidate)
    {
        if (Capacity == 0) return;
        if (_kept.Count == Capacity && !Before(candidate, _kept[^1])) return;
        int at = _kept.Count;
        while (at > 0 && Before(candidate, _kept[at - 1])) at--;
        _kept.Insert(at, candidate);
        if (_kept.Count > Capacity) _kept.RemoveAt(_kept.Count - 1);
    }

    private static bool Before(Candidate a, Candidate b) => a.Confidence > b.Confidence || (a.Confidence == b.Confidence && a.Index < b.Index);

    private readonly record struct Candidate(int Index, int TrueLabel, int PredictedLabel, float Confidence);
}
