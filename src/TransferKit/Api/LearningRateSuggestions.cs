namespace TransferKit.Api;

/// <summary>
/// The suggestion rules of <see cref="LearningRateSuggestionRule"/> over the part of a sweep worth reading, as fastai's
/// <c>lr_find</c> reads it: the first tenth of the planned batches (where the bias-corrected average still swings with a
/// handful of batches, and the rate is too small to move the weights) and the last few recorded batches (the climb into
/// divergence) are left out, and so is everything from the first non-finite loss on.
/// </summary>
internal static class LearningRateSuggestions
{
    /// <summary>Fewest points a window needs for a rule to mean anything; a shorter one falls back to the whole curve.</summary>
    private const int MinimumWindow = 4;

    /// <summary>The half-open index range [First, End) of <paramref name="curve"/> that the rules read.</summary>
    public static (int First, int End) Window(IReadOnlyList<LearningRatePoint> curve, int plannedSteps, double skipStartFraction, int skipEndPoints)
    {
        int finite = 0;
        while (finite < curve.Count && double.IsFinite(curve[finite].SmoothedLoss)) finite++;
        int first = (int)(plannedSteps * skipStartFraction);
        int end = Math.Min(finite, curve.Count - skipEndPoints);
        if (end - first >= MinimumWindow) return (first, end);
        // A sweep that diverged early leaves too little after the cuts: read all the finite points instead.
        return (0, finite);
    }

    /// <summary>The rates the three rules suggest on <paramref name="curve"/>[first..end); NaN when the window is empty.</summary>
    public static (double Valley, double Steepest, double Minimum) Suggest(IReadOnlyList<LearningRatePoint> curve, int first, int end)
    {
        int n = end - first;
        if (n <= 0) return (double.NaN, double.NaN, double.NaN);
        var loss = new double[n];
        for (int i = 0; i < n; i++) loss[i] = curve[first + i].SmoothedLoss;
        double Rate(int i) => curve[first + i].LearningRate;
        return (Rate(ValleyIndex(loss)), Rate(SteepestIndex(loss, Rate)), Rate(Array.IndexOf(loss, loss.Min())) / 10);
    }

    /// <summary>
    /// The point about half way along the longest decreasing subsequence of <paramref name="loss"/>, measured from the
    /// index its length reaches back to (fastai's anchors, clamped at 0).
    /// </summary>
    internal static int ValleyIndex(IReadOnlyList<double> loss)
    {
        int n = loss.Count;
        // run[i]: length of the longest strictly decreasing subsequence that ends at i.
        var run = new int[n];
        int longestEnd = 0;
        for (int i = 0; i < n; i++)
        {
            run[i] = 1;
            for (int j = 0; j < i; j++)
            {
                if (loss[i] < loss[j] && run[j] + 1 > run[i]) run[i] = run[j] + 1;
            }

            if (run[i] > run[longestEnd]) longestEnd = i;
        }

        int length = run[longestEnd];
        int start = Math.Max(0, longestEnd - length);
        double third = (longestEnd - start) / 3.0;
        return Math.Min(n - 1, start + (int)third + (int)(third / 2));
    }

    /// <summary>The index whose forward difference of loss against log10(rate) is the most negative.</summary>
    internal static int SteepestIndex(IReadOnlyList<double> loss, Func<int, double> rate)
    {
        int steepest = 0;
        double best = double.PositiveInfinity;
        for (int i = 0; i + 1 < loss.Count; i++)
        {
            double slope = (loss[i + 1] - loss[i]) / (Math.Log10(rate(i + 1)) - Math.Log10(rate(i)));
            if (slope < best)
            {
                best = slope;
                steepest = i;
            }
        }

        return steepest;
    }
}
