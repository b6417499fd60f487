using System.Globalization;
using static TransferKit.Reporting.MarkupWriter;

namespace TransferKit.Reporting;

/// <summary>
/// A confusion matrix as an SVG heat map: rows are true classes, columns predicted classes, each cell's colour is its
/// share of the row (so small classes are as readable as large ones) and its text the count. Class names label both
/// axes (long names are shortened, with the full name in the tooltip); a colour bar explains the scale. Cells carry
/// <c>data-true</c>, <c>data-predicted</c> and <c>data-count</c> attributes.
/// </summary>
internal static class SvgHeatMap
{
    private const int LongestLabel = 22;
    private const string ScaleTitle = "share of the true class";

    /// <summary>Room the rotated <see cref="ScaleTitle"/> needs: 23 characters at 11 px.</summary>
    private const double ScaleTitleLength = 140;

    private const double AxisTitle = 20, Gap = 6, BarWidth = 14, BarGap = 18, BarLabels = 64;

    /// <summary>Writes the matrix restricted to <paramref name="shown"/> (class indices, in the order to draw them).</summary>
    /// <param name="w">Where to write.</param>
    /// <param name="classNames">All class names.</param>
    /// <param name="matrix">[C][C] counts: <c>matrix[t][p]</c> samples of class t predicted as p.</param>
    /// <param name="shown">The classes to draw, at least one.</param>
    public static void WriteTo(MarkupWriter w, IReadOnlyList<string> classNames, IReadOnlyList<IReadOnlyList<long>> matrix, IReadOnlyList<int> shown)
    {
        int n = shown.Count;
        double cell = Math.Clamp(Math.Floor(520.0 / n), 16, 44);
        double font = Math.Min(12, Math.Max(8, cell * 0.5));
        int chars = Math.Min(LongestLabel, shown.Max(i => classNames[i].Length));
        double labelLength = (chars * font * 0.62) + 4;
        double gridLeft = AxisTitle + labelLength + Gap, gridTop = 8, grid = n * cell;
        double columnLabels = (labelLength * 0.71) + 14;
        double width = gridLeft + grid + BarGap + BarWidth + BarLabels;
        double height = Math.Max(gridTop + grid + Gap + columnLabels + AxisTitle, gridTop + ScaleTitleLength + Gap);

        w.Open("svg", ("class", "heatmap"), ("data-chart", "confusion"), ("width", Number(width)), ("height", Number(height)),
            ("viewBox", $"0 0 {Number(width)} {Number(height)}"), ("role", "img"), ("aria-label", "Confusion matrix: rows are true classes, columns predicted classes"));
        w.Element("title", "Confusion matrix: rows are true classes, columns predicted classes");
        WriteScaleDefinition(w);

        for (int r = 0; r < n; r++)
        {
            var row = matrix[shown[r]];
            long rowSum = row.Sum();
            for (int c = 0; c < n; c++)
            {
                long count = row[shown[c]];
                double share = rowSum > 0 ? (double)count / rowSum : 0;
                var fill = ColorScale.At(share);
                double x = gridLeft + (c * cell), y = gridTop + (r * cell);
                w.Open("rect", ("data-true", Int(shown[r])), ("data-predicted", Int(shown[c])), ("data-count", count.ToString(CultureInfo.InvariantCulture)),
                    ("x", Number(x)), ("y", Number(y)), ("width", Number(cell)), ("height", Number(cell)), ("fill", ColorScale.Hex(fill)), ("stroke", "#ffffff"));
                w.Element("title", string.Create(CultureInfo.InvariantCulture, $"true {classNames[shown[r]]}, predicted {classNames[shown[c]]}: {count} ({share:0.0%} of the row)"));
                w.Close();
                WriteCount(w, count, x, y, cell, ColorScale.TextOn(fill));
            }
        }

        for (int i = 0; i < n; i++)
        {
            string name = classNames[shown[i]];
            string label = Shorten(name);
            double centre = gridTop + (i * cell) + (cell / 2);
            w.Open("text", ("class", "row-label"), ("x", Number(gridLeft - Gap)), ("y", Number(centre + (font * 0.35))), ("text-anchor", "end"), ("font-size", Number(font)), ("fill", "#222"));
            WriteLabel(w, name, label);
            w.Close();
            double cx = gridLeft + (i * cell) + (cell / 2), cy = gridTop + grid + Gap;
            w.Open("text", ("class", "column-label"), ("x", Number(cx)), ("y", Number(cy + font)), ("text-anchor", "end"), ("font-size", Number(font)), ("fill", "#222"),
                ("transform", $"rotate(-45 {Number(cx)} {Number(cy + font)})"));
            WriteLabel(w, name, label);
            w.Close();
        }

        double midY = gridTop + (grid / 2);
        w.Element("text", "true class", ("x", "12"), ("y", Number(midY)), ("text-anchor", "middle"), ("font-size", "12"), ("fill", "#222"),
            ("transform", $"rotate(-90 12 {Number(midY)})"));
        w.Element("text", "predicted class", ("x", Number(gridLeft + (grid / 2))), ("y", Number(height - 6)), ("text-anchor", "middle"), ("font-size", "12"), ("fill", "#222"));
        WriteScaleBar(w, gridLeft + grid + BarGap, gridTop, grid);
        w.Close();
    }

    private static void WriteCount(MarkupWriter w, long count, double x, double y, double cell, string color)
    {
        string text = count.ToString(CultureInfo.InvariantCulture);
        // Shrink long counts to fit the cell; below 6 px a number is unreadable, and the tooltip still has it.
        double size = Math.Min(Math.Min(12, cell * 0.42), (cell - 3) / (text.Length * 0.62));
        if (size < 6) return;
        w.Element("text", text, ("x", Number(x + (cell / 2))), ("y", Number(y + (cell / 2) + (size * 0.35))), ("text-anchor", "middle"),
            ("font-size", Number(size)), ("fill", color));
    }

    private static void WriteLabel(MarkupWriter w, string name, string label)
    {
        if (label != name) w.Element("title", name);
        w.Text(label);
    }

    private static void WriteScaleDefinition(MarkupWriter w)
    {
        w.Open("defs");
        w.Open("linearGradient", ("id", "confusion-scale"), ("x1", "0"), ("y1", "1"), ("x2", "0"), ("y2", "0"));
        for (int i = 0; i <= 8; i++)
            w.Empty("stop", ("offset", Number(i / 8.0, 3)), ("stop-color", ColorScale.Hex(ColorScale.At(i / 8.0))));
        w.Close().Close();
    }

    private static void WriteScaleBar(MarkupWriter w, double x, double top, double height)
    {
        w.Empty("rect", ("x", Number(x)), ("y", Number(top)), ("width", Number(BarWidth)), ("height", Number(height)), ("fill", "url(#confusion-scale)"), ("stroke", "#999"));
        foreach (double t in new[] { 0, 0.5, 1 })
        {
            double y = top + height - (t * height);
            w.Element("text", t.ToString("0%", CultureInfo.InvariantCulture), ("x", Number(x + BarWidth + 4)), ("y", Number(y + 4)), ("font-size", "11"), ("fill", "#444"));
        }
        // Read downwards from the bar's top, so a short matrix does not cut the title off at the top (the height leaves room below).
        double tx = x + BarWidth + 48;
        w.Element("text", ScaleTitle, ("x", Number(tx)), ("y", Number(top)), ("text-anchor", "start"), ("font-size", "11"), ("fill", "#444"),
            ("transform", $"rotate(90 {Number(tx)} {Number(top)})"));
    }

    private static string Shorten(string name) => name.Length <= LongestLabel ? name : string.Concat(name.AsSpan(0, LongestLabel - 1), "…");

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
