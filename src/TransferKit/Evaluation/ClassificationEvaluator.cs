using TransferKit.Tensors;

namespace TransferKit.Evaluation;

/// <summary>
/// Accumulates a classifier's predicted probabilities and the true labels batch by batch, so an evaluation can stream
/// through a data loader, and turns them into a <see cref="ClassificationReport"/>. Counts (confusion matrix, top-k
/// hits) and the log-loss sum are kept as they arrive; when <see cref="ClassificationEvaluatorOptions.ComputeRocAuc"/>
/// is on, the scores that ROC AUC needs are kept as well. Not thread-safe: feed it from one thread.
/// </summary>
/// <example>
/// <code>
/// var evaluator = new ClassificationEvaluator(["cat", "dog"]);
/// foreach (var (probabilities, labels) in batches) evaluator.Add(probabilities, labels);
/// Console.WriteLine(evaluator.ToReport().ToText());
/// </code>
/// </example>
public sealed partial class ClassificationEvaluator
{
    private readonly string[] _classNames;
    private readonly int[] _topK;
    private readonly long[] _confusion;
    private readonly long[] _topKHits;
    private readonly List<float>? _scores;
    private readonly List<int>? _scoreLabels;
    private double _logLossSum;
    private long _count;

    /// <summary>Creates an evaluator for a classifier with the given classes, in the model's output order.</summary>
    /// <param name="classNames">At least two distinct, non-blank names; index i names output column i and label i.</param>
    /// <param name="options">What to compute; <see cref="ClassificationEvaluatorOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="classNames"/> or a name is null.</exception>
    /// <exception cref="ArgumentException">Fewer than two names, a blank or repeated name, or invalid options (named).</exception>
    public ClassificationEvaluator(IReadOnlyList<string> classNames, ClassificationEvaluatorOptions? options = null)
    {
        _classNames = EvaluationInputs.CheckClassNames(classNames);
        Options = options ?? ClassificationEvaluatorOptions.Default;
        Options.Validate();
        _topK = [.. Options.TopK.Where(k => !Options.OmitTrivialTopK || k < _classNames.Length)];
        _topKHits = new long[_topK.Length];
        _confusion = new long[_classNames.Length * _classNames.Length];
        if (Options.ComputeRocAuc)
        {
            _scores = [];
            _scoreLabels = [];
        }
    }

    /// <summary>The class names, index i for output column i.</summary>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>The number of classes C.</summary>
    public int ClassCount => _classNames.Length;

    /// <summary>The options in force.</summary>
    public ClassificationEvaluatorOptions Options { get; }

    /// <summary>Samples added so far.</summary>
    public long SampleCount => _count;

    /// <summary>Adds a batch of per-class probabilities (softmax outputs).</summary>
    /// <param name="probabilities">[N, C] row-major: N = <paramref name="labels"/>.Length rows of C values in [0, 1].</param>
    /// <param name="labels">The true class of each row, in [0, C).</param>
    /// <exception cref="ArgumentException">
    /// The length is not N x C, or a probability is NaN; the message names the argument and the index.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, C) or a probability outside [0, 1] (index named).</exception>
    public void Add(ReadOnlySpan<float> probabilities, ReadOnlySpan<int> labels)
    {
        int classes = ClassCount;
        EvaluationInputs.CheckLength(
            probabilities.Length, (long)labels.Length * classes, nameof(probabilities), $"{labels.Length} labels x {classes} classes");
        EvaluationInputs.CheckLabels(labels, classes);
        EvaluationInputs.CheckProbabilities(probabilities, classes, nameof(probabilities));

        double eps = Options.LogLossEpsilon;
        for (int i = 0; i < labels.Length; i++)
        {
            var row = probabilities.Slice(i * classes, classes);
            int label = labels[i];
            int predicted = 0, rank = 0;
            double clippedSum = 0;
            for (int c = 0; c < classes; c++)
            {
                if (row[c] > row[predicted]) predicted = c;

                // Classes ranked before the true one: higher score, or equal score and lower index (arg-max's tie rule).
                if (row[c] > row[label] || (row[c] == row[label] && c < label)) rank++;
                clippedSum += Math.Clamp(row[c], eps, 1 - eps);
            }

            Count(label, predicted, rank, Math.Clamp(row[label], eps, 1 - eps) / clippedSum);
        }

        if (_scores is not null)
        {
            if (classes == 2)
            {
                for (int i = 0; i < labels.Length; i++) _scores.Add(probabilities[(2 * i) + 1]);
            }
            else
            {
                _scores.AddRange(probabilities);
            }

            _scoreLabels!.AddRange(labels);
        }
    }

    /// <summary>
    /// Adds a batch from a binary model with one sigmoid output: the probability of class 1 per sample. Class 1 is
    /// predicted when it is above <see cref="ClassificationEvaluatorOptions.BinaryThreshold"/>; for log-loss the row is
    /// [1 - p, p] with p clipped first, as scikit-learn does for one-column scores.
    /// </summary>
    /// <param name="positiveProbabilities">[N]: the probability of class 1 (<see cref="ClassNames"/>[1]), in [0, 1].</param>
    /// <param name="labels">N labels, each 0 or 1.</param>
    /// <exception cref="InvalidOperationException">The evaluator does not have exactly two classes.</exception>
    /// <exception cref="ArgumentException">The lengths differ, or a probability is NaN (argument and index named).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is not 0 or 1, or a probability is outside [0, 1] (index named).</exception>
    public void AddBinary(ReadOnlySpan<float> positiveProbabilities, ReadOnlySpan<int> labels)
    {
        if (ClassCount != 2)
        {
            throw new InvalidOperationException(
                $"AddBinary takes one sigmoid output per sample and needs exactly two classes; this evaluator has {ClassCount}. Use Add with [N, C] probabilities.");
        }

        EvaluationInputs.CheckLength(positiveProbabilities.Length, labels.Length, nameof(positiveProbabilities), "one per label");
        EvaluationInputs.CheckLabels(labels, 2);
        EvaluationInputs.CheckProbabilities(positiveProbabilities, 1, nameof(positiveProbabilities));

        double eps = Options.LogLossEpsilon;
        for (int i = 0; i < labels.Length; i++)
        {
            float p = positiveProbabilities[i];
            int label = labels[i];
            int predicted = p > Options.BinaryThreshold ? 1 : 0;
            double positive = Math.Clamp(p, eps, 1 - eps), negative = 1 - positive;
            Count(label, predicted, predicted == label ? 0 : 1, (label == 1 ? positive : negative) / (negative + positive));
        }

        if (_scores is not null)
        {
            _scores.AddRange(positiveProbabilities);
            _scoreLabels!.AddRange(labels);
        }
    }

    /// <summary>
    /// Adds a batch held in a tensor: [N, C] probabilities, or for a two-class evaluator also [N] or [N, 1] sigmoid
    /// outputs (see <see cref="AddBinary"/>). The tensor is only read.
    /// </summary>
    /// <param name="probabilities">[N, C], or [N] / [N, 1] when C = 2.</param>
    /// <param name="labels">N labels in [0, C).</param>
    /// <exception cref="ArgumentNullException"><paramref name="probabilities"/> is null.</exception>
    /// <exception cref="ArgumentException">The shape does not fit, or a value is NaN (argument and index named).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label or a probability is out of range (index named).</exception>
    public void Add(Tensor probabilities, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        var shape = probabilities.Shape;
        bool oneColumn = shape.Rank == 1 || (shape.Rank == 2 && shape[1] == 1);
        if (shape.Rank == 2 && shape[1] == ClassCount)
        {
            CheckRows(shape[0], labels.Length);
            Add(probabilities.ReadOnlySpan, labels);
        }
        else if (oneColumn && ClassCount == 2)
        {
            CheckRows(shape[0], labels.Length);
            AddBinary(probabilities.ReadOnlySpan, labels);
        }
        else
        {
            string binary = ClassCount == 2 ? " or [N] / [N, 1] (one sigmoid output)" : string.Empty;
            throw new ArgumentException(
                $"probabilities has shape {shape}; expected [N, {ClassCount}]{binary} with N = {labels.Length} labels.", nameof(probabilities));
        }
    }

    /// <summary>Forgets every sample added, keeping the classes and options.</summary>
    public void Reset()
    {
        Array.Clear(_confusion);
        Array.Clear(_topKHits);
        _scores?.Clear();
        _scoreLabels?.Clear();
        _logLossSum = 0;
        _count = 0;
    }

    /// <summary>Evaluates one set of [N, C] probabilities at once; see <see cref="Add(ReadOnlySpan{float}, ReadOnlySpan{int})"/>.</summary>
    /// <param name="probabilities">[N, C] row-major probabilities.</param>
    /// <param name="labels">N labels in [0, C).</param>
    /// <param name="classNames">C class names.</param>
    /// <param name="options">What to compute; the defaults when null.</param>
    /// <exception cref="ArgumentException">As for the constructor and <see cref="Add(ReadOnlySpan{float}, ReadOnlySpan{int})"/>.</exception>
    /// <exception cref="InvalidOperationException">There are no samples.</exception>
    public static ClassificationReport Evaluate(
        ReadOnlySpan<float> probabilities, ReadOnlySpan<int> labels, IReadOnlyList<string> classNames, ClassificationEvaluatorOptions? options = null)
    {
        var evaluator = new ClassificationEvaluator(classNames, options);
        evaluator.Add(probabilities, labels);
        return evaluator.ToReport();
    }

    private static void CheckRows(int rows, int labels)
    {
        if (rows != labels)
        {
            throw new ArgumentException($"probabilities has {rows} rows but there are {labels} labels.", "probabilities");
        }
    }

    private void Count(int label, int predicted, int rank, double trueClassProbability)
    {
        _confusion[(label * ClassCount) + predicted]++;
        for (int k = 0; k < _topK.Length; k++)
        {
            if (rank < _topK[k]) _topKHits[k]++;
        }

        _logLossSum -= Math.Log(trueClassProbability);
        _count++;
    }
}
