namespace TransferKit.Api;

/// <summary>One image's prediction: the winning class and every class's probability.</summary>
/// <param name="Label">Name of the most probable class.</param>
/// <param name="ClassIndex">Its index.</param>
/// <param name="Scores">Probability of each class, in label order (they sum to 1).</param>
/// <param name="ClassNames">Class names in label order.</param>
public sealed record Prediction(string Label, int ClassIndex, IReadOnlyList<float> Scores, IReadOnlyList<string> ClassNames)
{
    /// <summary>Probability of the predicted class.</summary>
    public float Confidence => Scores[ClassIndex];

    /// <summary>The <paramref name="k"/> most probable classes, most probable first.</summary>
    public IReadOnlyList<(string Label, float Score)> Top(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        return Scores.Select((s, i) => (Label: ClassNames[i], Score: s, Index: i))
            .OrderByDescending(t => t.Score).ThenBy(t => t.Index).Take(k).Select(t => (t.Label, t.Score)).ToArray();
    }

    /// <summary>The label and its probability, then the runners-up (up to two): <c>dog 97.3% (cat 2.1%, fox 0.6%)</c>.</summary>
    public override string ToString()
    {
        var others = Top(Math.Min(3, Scores.Count)).Where(t => t.Label != Label).Take(2).ToArray();
        string rest = others.Length > 0 ? " (" + string.Join(", ", others.Select(t => Percent(t.Label, t.Score))) + ")" : "";
        return Percent(Label, Confidence) + rest;
        static string Percent(string label, float score) => FormattableString.Invariant($"{label} {score:0.0%}");
    }
}
