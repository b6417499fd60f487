namespace TransferKit.Evaluation;

/// <summary>
/// Checks of the evaluator's inputs. A batch is checked whole before any of it is counted, so a failed call leaves
/// the evaluator unchanged.
/// </summary>
internal static class EvaluationInputs
{
    /// <exception cref="ArgumentNullException">The list or a name is null.</exception>
    /// <exception cref="ArgumentException">Fewer than two names, an empty name, or a repeated one.</exception>
    public static string[] CheckClassNames(IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count < 2)
        {
            throw new ArgumentException($"A classifier needs at least two classes; got {classNames.Count} class names.", nameof(classNames));
        }

        var names = new string[classNames.Count];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            string? name = classNames[i];
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException($"classNames[{i}] is null or blank.", nameof(classNames));
            }

            if (!seen.TryAdd(name, i))
            {
                throw new ArgumentException($"classNames[{seen[name]}] and classNames[{i}] are both \"{name}\".", nameof(classNames));
            }

            names[i] = name;
        }

        return names;
    }

    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, classCount); the message gives its index.</exception>
    public static void CheckLabels(ReadOnlySpan<int> labels, int classCount)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(labels), labels[i], $"labels[{i}] = {labels[i]} is outside the class range [0, {classCount}).");
            }
        }
    }

    /// <summary>Each value must be a probability: NaN, infinities and values outside [0, 1] (logits, say) are refused.</summary>
    /// <exception cref="ArgumentException">A value is NaN; the message gives its index, sample and class.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside [0, 1]; the message gives its index, sample and class.</exception>
    public static void CheckProbabilities(ReadOnlySpan<float> values, int columns, string paramName)
    {
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (v is >= 0 and <= 1)
            {
                continue;
            }

            string where = columns == 1 ? $"{paramName}[{i}]" : $"{paramName}[{i}] (sample {i / columns}, class {i % columns})";
            if (float.IsNaN(v))
            {
                throw new ArgumentException($"{where} is NaN.", paramName);
            }

            throw new ArgumentOutOfRangeException(
                paramName, v, $"{where} = {v} is not a probability in [0, 1]; pass softmax or sigmoid outputs, not logits.");
        }
    }

    /// <exception cref="ArgumentException">The two lengths disagree.</exception>
    public static void CheckLength(int actual, long expected, string paramName, string what)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{paramName} has {actual} values; expected {expected} ({what}).", paramName);
        }
    }
}
