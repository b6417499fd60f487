using TransferKit.Training.Optimizers;

namespace TransferKit.Training.Schedules;

/// <summary>
/// Discriminative learning rates as fastai's <c>slice</c>: earlier parameter groups (the backbone) learn slower than
/// later ones (the head). The schedule sets the optimizer's base rate to the highest rate, and each group's
/// <see cref="ParameterGroup.LearningRateMultiplier"/> scales it down. Groups are ordered from input to output.
/// </summary>
public static class DiscriminativeLearningRates
{
    /// <summary>
    /// Multipliers for <c>slice(low, high)</c> over <paramref name="groups"/> groups: the rates are spaced
    /// geometrically from <paramref name="low"/> to <paramref name="high"/> (fastai's <c>even_mults</c>), divided by
    /// <paramref name="high"/>, so the last multiplier is 1 and the first is <c>low / high</c>. One group gets 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate is not positive and finite, low exceeds high, or groups is below 1.</exception>
    public static float[] Multipliers(double low, double high, int groups)
    {
        CheckRate(low, nameof(low));
        CheckRate(high, nameof(high));
        if (low > high) throw new ArgumentOutOfRangeException(nameof(low), low, $"low must not exceed high ({high}).");
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        var result = new float[groups];
        if (groups == 1)
        {
            result[0] = 1;
            return result;
        }
        double ratio = low / high;
        for (int i = 0; i < groups; i++)
            result[i] = (float)Math.Pow(ratio, (double)(groups - 1 - i) / (groups - 1));
        result[groups - 1] = 1;
        return result;
    }

    /// <summary>
    /// Multipliers for fastai's <c>slice(high)</c>: every group but the last learns at a tenth of the rate, the last at the full rate.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="groups"/> is below 1.</exception>
    public static float[] Multipliers(int groups)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        var result = new float[groups];
        Array.Fill(result, 0.1f);
        result[groups - 1] = 1;
        return result;
    }

    /// <summary>
    /// Copies of <paramref name="groups"/> with the multipliers of <c>slice(low, high)</c>; use <paramref name="high"/>
    /// as the optimizer's (base) learning rate.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="groups"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">See <see cref="Multipliers(double, double, int)"/>.</exception>
    public static IReadOnlyList<ParameterGroup> Apply(IReadOnlyList<ParameterGroup> groups, double low, double high)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var multipliers = Multipliers(low, high, groups.Count);
        return groups.Select((g, i) => g with { LearningRateMultiplier = multipliers[i] }).ToArray();
    }

    private static void CheckRate(double rate, string name)
    {
        if (!(rate > 0) || double.IsInfinity(rate))
            throw new ArgumentOutOfRangeException(name, rate, "A learning rate must be positive and finite.");
    }
}
