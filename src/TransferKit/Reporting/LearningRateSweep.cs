namespace TransferKit.Reporting;

/// <summary>A learning-rate finder's sweep as the report draws it (the API's result, without depending on the API layer).</summary>
/// <param name="Points">Every batch: its rate, its loss and the smoothed loss.</param>
/// <param name="FirstUsed">First index the suggestion rules read.</param>
/// <param name="EndUsed">One past the last index they read.</param>
/// <param name="Diverged">Whether the sweep stopped on divergence.</param>
/// <param name="Suggestions">Each rule's name and rate.</param>
/// <param name="Chosen">The name of the rule whose rate is the suggestion.</param>
internal sealed record LearningRateSweep(IReadOnlyList<(double Rate, double Loss, double Smoothed)> Points, int FirstUsed, int EndUsed, bool Diverged,
    IReadOnlyList<(string Rule, double Rate)> Suggestions, string Chosen)
{
    /// <summary>The chosen rule's rate.</summary>
    public double Suggestion => Suggestions.First(s => s.Rule == Chosen).Rate;
}
