using System.Globalization;
using System.Text;

namespace TransferKit.Evaluation;

/// <summary>The plain-text layout of <see cref="ClassificationReport.ToText"/>, culture-invariant.</summary>
internal static class ClassificationReportText
{
    private static readonly string[] Headers = ["precision", "recall", "f1-score", "support"];

    public static string Format(ClassificationReport report, int digits, int maxConfusionClasses)
    {
        var text = new StringBuilder();
        AppendTable(text, report, digits);
        text.AppendLine();
        AppendSummary(text, report, digits);
        text.AppendLine();
        AppendConfusion(text, report, maxConfusionClasses);
        return text.ToString();
    }

    private static void AppendTable(StringBuilder text, ClassificationReport report, int digits)
    {
        const string WeightedAverage = "weighted avg";
        int nameWidth = Math.Max(WeightedAverage.Length, report.ClassNames.Max(n => n.Length));
        int column = Math.Max(Headers.Max(h => h.Length), digits + 3);

        text.Append(' ', nameWidth);
        foreach (string header in Headers) text.Append(' ').Append(header.PadLeft(column));
        text.AppendLine().AppendLine();

        foreach (var row in report.Classes)
        {
            AppendRow(text, row.Name, nameWidth, column, digits, row.Precision, row.Recall, row.F1, row.Support);
        }

        text.AppendLine();
        text.Append("accuracy".PadLeft(nameWidth)).Append(' ', 2 * (column + 1))
            .Append(' ').Append(Ratio(report.Accuracy, digits).PadLeft(column))
            .Append(' ').AppendLine(report.SampleCount.ToString(CultureInfo.InvariantCulture).PadLeft(column));
        AppendRow(text, "macro avg", nameWidth, column, digits, report.MacroPrecision, report.MacroRecall, report.MacroF1, report.SampleCount);
        AppendRow(text, WeightedAverage, nameWidth, column, digits, report.WeightedPrecision, report.WeightedRecall, report.WeightedF1, report.SampleCount);
    }

    private static void AppendRow(
        StringBuilder text, string name, int nameWidth, int column, int digits, double precision, double recall, double f1, long support)
    {
        text.Append(name.PadLeft(nameWidth));
        foreach (double value in (ReadOnlySpan<double>)[precision, recall, f1]) text.Append(' ').Append(Ratio(value, digits).PadLeft(column));
        text.Append(' ').AppendLine(support.ToString(CultureInfo.InvariantCulture).PadLeft(column));
    }

    private static void AppendSummary(StringBuilder text, ClassificationReport report, int digits)
    {
        const int LabelWidth = 16;
        foreach (var topK in report.TopK)
        {
            text.Append($"top-{topK.K} accuracy".PadRight(LabelWidth)).AppendLine(Ratio(topK.Accuracy, digits));
        }

        string eps = report.LogLossEpsilon.ToString("0.##e-0", CultureInfo.InvariantCulture);
        text.Append("log-loss".PadRight(LabelWidth)).Append(Ratio(report.LogLoss, digits))
            .AppendLine(CultureInfo.InvariantCulture, $" (probabilities clipped to [{eps}, 1 - {eps}])");

        text.Append("ROC AUC".PadRight(LabelWidth));
        if (report.RocAuc is { } auc)
        {
            string kind = report.ClassNames.Count == 2 ? $"positive class \"{report.ClassNames[1]}\"" : "one-vs-rest, macro";
            text.Append(Ratio(auc, digits)).AppendLine(CultureInfo.InvariantCulture, $" ({kind})");
        }
        else
        {
            text.AppendLine("n/a (not computed, or a class has no positive or no negative sample)");
        }
    }

    private static void AppendConfusion(StringBuilder text, ClassificationReport report, int maxConfusionClasses)
    {
        var names = report.ClassNames;
        if (names.Count > maxConfusionClasses)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Confusion matrix omitted ({names.Count} classes); see ConfusionMatrix or the JSON.");
            return;
        }

        text.AppendLine("Confusion matrix (rows = true class, columns = predicted class):");
        int nameWidth = names.Max(n => n.Length);
        var widths = new int[names.Count];
        for (int p = 0; p < names.Count; p++)
        {
            widths[p] = names[p].Length;
            foreach (var row in report.ConfusionMatrix) widths[p] = Math.Max(widths[p], Count(row[p]).Length);
        }

        text.Append(' ', nameWidth);
        for (int p = 0; p < names.Count; p++) text.Append("  ").Append(names[p].PadLeft(widths[p]));
        text.AppendLine();
        for (int t = 0; t < names.Count; t++)
        {
            text.Append(names[t].PadLeft(nameWidth));
            for (int p = 0; p < names.Count; p++) text.Append("  ").Append(Count(report.ConfusionMatrix[t][p]).PadLeft(widths[p]));
            text.AppendLine();
        }
    }

    private static string Ratio(double value, int digits) => value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}
