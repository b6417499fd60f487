namespace TransferKit.Data.Datasets;

/// <summary>Argument checks shared by the dataset types.</summary>
internal static class DatasetChecks
{
    public static void Index(int index, int count)
    {
        if ((uint)index >= (uint)count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Sample index must be in [0, {count}).");
        }
    }

    /// <summary>Copies and validates labels: one per sample, each in [0, classCount).</summary>
    public static int[] Labels(IReadOnlyList<int> labels, int sampleCount, int classCount, string parameter)
    {
        if (labels.Count != sampleCount)
        {
            throw new ArgumentException($"Expected {sampleCount} labels (one per sample), got {labels.Count}.", parameter);
        }

        var copy = new int[sampleCount];
        for (int i = 0; i < sampleCount; i++)
        {
            int label = labels[i];
            if ((uint)label >= (uint)classCount)
            {
                throw new ArgumentException($"Label {label} of sample {i} is outside [0, {classCount}).", parameter);
            }

            copy[i] = label;
        }

        return copy;
    }

    /// <summary>Copies class names, rejecting empty and duplicate (ordinal) names.</summary>
    public static string[] ClassNames(IReadOnlyList<string> classNames, string parameter)
    {
        var copy = classNames.ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in copy)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("Class names must not be empty.", parameter);
            }

            if (!seen.Add(name))
            {
                throw new ArgumentException($"Class name '{name}' appears twice.", parameter);
            }
        }

        return copy;
    }
}
