namespace TransferKit.Evaluation;

/// <summary>
/// The threshold sweep behind <see cref="RocCurve"/> and ROC AUC: sort by score, walk from the highest down, and
/// record cumulative counts at the end of each run of equal scores. Counts stay integers, so the area is an exact
/// rational until its final division.
/// </summary>
internal static class RocAnalysis
{
    /// <summary>
    /// Cumulative false and true positives after each distinct score, highest score first (the origin is not included),
    /// and the score itself.
    /// </summary>
    internal sealed record Steps(long[] FalsePositives, long[] TruePositives, float[] Thresholds)
    {
        public long Negatives => FalsePositives[^1];

        public long Positives => TruePositives[^1];
    }

    /// <exception cref="ArgumentException">Lengths differ, a score is NaN, or one of the two classes is missing.</exception>
    public static Steps Sweep(ReadOnlySpan<float> scores, ReadOnlySpan<bool> isPositive)
    {
        if (scores.Length != isPositive.Length)
        {
            throw new ArgumentException(
                $"isPositive has {isPositive.Length} values but scores has {scores.Length}; give one per sample.", nameof(isPositive));
        }

        long positives = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            if (float.IsNaN(scores[i]))
            {
                throw new ArgumentException($"scores[{i}] is NaN.", nameof(scores));
            }

            if (isPositive[i]) positives++;
        }

        if (positives == 0 || positives == scores.Length)
        {
            throw new ArgumentException(
                $"ROC needs at least one positive and one negative sample; got {positives} positive of {scores.Length}.",
                nameof(isPositive));
        }

        return SweepValidated(scores, isPositive);
    }

    /// <summary>The sweep for inputs already known to be NaN-free with both classes present.</summary>
    public static Steps SweepValidated(ReadOnlySpan<float> scores, ReadOnlySpan<bool> isPositive)
    {
        // One primitive sort of (score, label) packed into a ulong is about twice as fast as sorting scores with a
        // parallel label array, which matters for one-vs-rest AUC over many classes.
        var keys = new ulong[scores.Length];
        for (int i = 0; i < keys.Length; i++) keys[i] = ((ulong)OrderedBits(scores[i]) << 1) | (isPositive[i] ? 1UL : 0UL);
        Array.Sort(keys);

        var fps = new List<long>();
        var tps = new List<long>();
        var thresholds = new List<float>();
        long fp = 0, tp = 0;
        for (int i = keys.Length - 1; i >= 0; i--)
        {
            if ((keys[i] & 1) != 0) tp++;
            else fp++;

            // The run of equal scores ends here: all of them are above or at this threshold together.
            if (i == 0 || (keys[i - 1] >> 1) != (keys[i] >> 1))
            {
                fps.Add(fp);
                tps.Add(tp);
                thresholds.Add(FromOrderedBits((uint)(keys[i] >> 1)));
            }
        }

        return new Steps([.. fps], [.. tps], [.. thresholds]);
    }

    // Maps a float to an unsigned integer with the same order (negative values below positive ones), after turning
    // -0 into +0 so that the two zeros, equal as floats, stay one threshold.
    private static uint OrderedBits(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value == 0 ? 0f : value);
        return (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
    }

    private static float FromOrderedBits(uint ordered) =>
        BitConverter.UInt32BitsToSingle((ordered & 0x8000_0000u) != 0 ? ordered & 0x7FFF_FFFFu : ~ordered);

    /// <summary>Trapezoid area from the origin through every step, divided by positives x negatives.</summary>
    public static double Area(Steps steps)
    {
        // Twice the area in count units: each step adds width dFP times the sum of the heights at its two ends.
        long twiceArea = 0, previousFp = 0, previousTp = 0;
        for (int i = 0; i < steps.FalsePositives.Length; i++)
        {
            long fp = steps.FalsePositives[i], tp = steps.TruePositives[i];
            twiceArea += (fp - previousFp) * (tp + previousTp);
            previousFp = fp;
            previousTp = tp;
        }

        return twiceArea / (2.0 * steps.Positives * steps.Negatives);
    }

    /// <summary>The curve in rates, optionally without points that are collinear with their neighbours.</summary>
    public static RocCurve ToCurve(Steps steps, bool dropIntermediate)
    {
        int n = steps.FalsePositives.Length;
        var fpr = new List<double>(n + 1) { 0 };
        var tpr = new List<double>(n + 1) { 0 };
        var thresholds = new List<double>(n + 1) { double.PositiveInfinity };
        double negatives = steps.Negatives, positives = steps.Positives;
        for (int i = 0; i < n; i++)
        {
            if (dropIntermediate && i > 0 && i < n - 1 && IsStraight(steps.FalsePositives, i) && IsStraight(steps.TruePositives, i))
            {
                continue;
            }

            fpr.Add(steps.FalsePositives[i] / negatives);
            tpr.Add(steps.TruePositives[i] / positives);
            thresholds.Add(steps.Thresholds[i]);
        }

        return new RocCurve(fpr, tpr, thresholds);
    }

    // Zero second difference: the point continues its neighbours' step unchanged (scikit-learn's test, which keeps
    // every corner and some harmless collinear points such as unequal steps in the same direction).
    private static bool IsStraight(long[] values, int i) => values[i - 1] - (2 * values[i]) + values[i + 1] == 0;
}
