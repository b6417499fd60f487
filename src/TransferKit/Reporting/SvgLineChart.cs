using static TransferKit.Reporting.MarkupWriter;

namespace TransferKit.Reporting;

/// <summary>
/// An SVG line chart with axes, nice ticks, grid lines, axis titles, a legend and optional vertical markers (such as
/// the start of a fine-tuning phase). Inline SVG inside HTML needs no namespace declaration, so the chart stays free of
/// any URL.
/// </summary>
internal sealed class SvgLineChart
{
    private const double Height = 300;
    private const double MinLeft = 64, Right = 16, Top = 34, Bottom = 46;

    /// <summary>Approximate advance of one 11 px tick-label character, to keep the y axis title clear of the labels.</summary>
    private const double LabelCharWidth = 6.6;

    /// <summary>Left margin of the chart being written: wide enough for its longest y tick label and the axis title.</summary>
    private double _left = MinLeft;

    /// <summary>Most points drawn per line: a polyline finer than the plot's pixels only makes the file bigger.</summary>
    internal const int MaxPointsPerLine = 1200;

    private readonly List<LineSeries> _series = [];
    private readonly List<(double X, string Label)> _markers = [];

    /// <param name="key">Written as the chart's <c>data-chart</c> attribute.</param>
    /// <param name="xTitle">Title under the x axis.</param>
    /// <param name="yTitle">Title beside the y axis.</param>
    public SvgLineChart(string key, string xTitle, string yTitle)
    {
        Key = key;
        XTitle = xTitle;
        YTitle = yTitle;
    }

    /// <summary>The chart's machine name.</summary>
    public string Key { get; }

    /// <summary>Title under the x axis.</summary>
    public string XTitle { get; }

    /// <summary>Title beside the y axis.</summary>
    public string YTitle { get; }

    /// <summary>Width in pixels (default 540: two charts side by side on a wide page).</summary>
    public double Width { get; init; } = 540;

    /// <summary>A fixed y range (accuracy: 0 to 1), or null to fit the data.</summary>
    public (double Min, double Max)? YRange { get; init; }

    /// <summary>
    /// Whether a fitted y range reaches down to 0 (default true: a learning-rate schedule's shape reads right only from
    /// 0). Losses turn it off, since their changes late in training are small next to their distance from 0.
    /// </summary>
    public bool IncludeZero { get; init; } = true;

    /// <summary>Whether x ticks fall on whole numbers (epochs).</summary>
    public bool IntegerX { get; init; }

    /// <summary>Writes an x tick's label (e.g. a power of ten for a log axis), or null for the axis's own numbers.</summary>
    public Func<double, string>? XFormat { get; init; }

    /// <summary>A fixed x range, or null to fit the data.</summary>
    public (double Min, double Max)? XRange { get; init; }

    /// <summary>Adds a line.</summary>
    public SvgLineChart Add(LineSeries series)
    {
        _series.Add(series);
        return this;
    }

    /// <summary>Adds a labelled vertical dashed line at <paramref name="x"/>.</summary>
    public SvgLineChart Mark(double x, string label)
    {
        _markers.Add((x, label));
        return this;
    }

    /// <summary>Writes the chart as one <c>svg</c> element.</summary>
    public void WriteTo(MarkupWriter w, string description)
    {
        var lines = _series.Select(s => (Series: s, Points: Thin(s.Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList()))).ToList();
        var all = lines.SelectMany(l => l.Points).ToList();
        double xLow = XRange?.Min ?? (all.Count > 0 ? all.Min(p => p.X) : 0), xHigh = XRange?.Max ?? (all.Count > 0 ? all.Max(p => p.X) : 1);
        double dataLow = all.Count > 0 ? all.Min(p => p.Y) : 0;
        double yLow = YRange?.Min ?? (IncludeZero ? Math.Min(0, dataLow) : dataLow), yHigh = YRange?.Max ?? (all.Count > 0 ? all.Max(p => p.Y) : 1);
        var y = AxisScale.Create(yLow, yHigh, Height - Bottom, Top, targetTicks: 6);
        // The rotated y title spans about x = 8..20; the right-aligned tick labels end 6 px left of the axis.
        _left = Math.Max(MinLeft, 30 + (LabelCharWidth * y.Ticks.Max(t => y.Format(t).Length)));
        var x = AxisScale.Create(xLow, xHigh, _left, Width - Right, targetTicks: 8, integerSteps: IntegerX);

        w.Open("svg", ("class", "chart"), ("data-chart", Key), ("width", Number(Width)), ("height", Number(Height)),
            ("viewBox", $"0 0 {Number(Width)} {Number(Height)}"), ("role", "img"), ("aria-label", description),
            // On a narrow screen the chart shrinks only to 80% (its text stays at least 8.8 px) and its figure scrolls.
            ("style", $"min-width:{Number(Width * 0.8)}px"));
        w.Element("title", description);
        WriteAxes(w, x, y);
        for (int m = 0; m < _markers.Count; m++)
        {
            var (xv, label) = _markers[m];
            double px = x.ToPixel(xv);
            w.Empty("line", ("class", "marker"), ("x1", Number(px)), ("x2", Number(px)), ("y1", Number(Top)), ("y2", Number(Height - Bottom)),
                ("stroke", "#888"), ("stroke-dasharray", "4 3"));
            // Labels of nearby markers would overprint: each marker's label sits a row lower than the one before.
            w.Element("text", label, ("x", Number(px + 4)), ("y", Number(Top + 12 + (13 * (m % 3)))), ("font-size", "11"), ("fill", "#555"));
        }
        foreach (var (series, points) in lines) WriteSeries(w, series, points, x, y);
        WriteLegend(w, lines.Select(l => l.Series).ToList());
        if (all.Count == 0)
            w.Element("text", "no data", ("x", Number((_left + Width - Right) / 2)), ("y", Number((Top + Height - Bottom) / 2)), ("text-anchor", "middle"), ("fill", "#777"));
        w.Close();
    }

    private void WriteAxes(MarkupWriter w, AxisScale x, AxisScale y)
    {
        double bottom = Height - Bottom, right = Width - Right;
        foreach (double t in y.Ticks)
        {
            double py = y.ToPixel(t);
            w.Empty("line", ("class", "grid"), ("x1", Number(_left)), ("x2", Number(right)), ("y1", Number(py)), ("y2", Number(py)), ("stroke", "#e3e3e3"));
            w.Element("text", y.Format(t), ("x", Number(_left - 6)), ("y", Number(py + 4)), ("text-anchor", "end"), ("font-size", "11"), ("fill", "#444"));
        }
        foreach (double t in x.Ticks)
        {
            double px = x.ToPixel(t);
            w.Empty("line", ("x1", Number(px)), ("x2", Number(px)), ("y1", Number(bottom)), ("y2", Number(bottom + 5)), ("stroke", "#444"));
            w.Element("text", XFormat?.Invoke(t) ?? x.Format(t), ("x", Number(px)), ("y", Number(bottom + 18)), ("text-anchor", "middle"), ("font-size", "11"), ("fill", "#444"));
        }
        w.Empty("line", ("class", "axis"), ("x1", Number(_left)), ("x2", Number(right)), ("y1", Number(bottom)), ("y2", Number(bottom)), ("stroke", "#444"));
        w.Empty("line", ("class", "axis"), ("x1", Number(_left)), ("x2", Number(_left)), ("y1", Number(Top)), ("y2", Number(bottom)), ("stroke", "#444"));
        w.Element("text", XTitle, ("x", Number((_left + right) / 2)), ("y", Number(Height - 8)), ("text-anchor", "middle"), ("font-size", "12"), ("fill", "#222"));
        double midY = (Top + bottom) / 2;
        w.Element("text", YTitle, ("x", "14"), ("y", Number(midY)), ("text-anchor", "middle"), ("font-size", "12"), ("fill", "#222"),
            ("transform", $"rotate(-90 14 {Number(midY)})"));
    }

    private static void WriteSeries(MarkupWriter w, LineSeries series, List<(double X, double Y)> points, AxisScale x, AxisScale y)
    {
        if (points.Count == 0) return;
        string coordinates = string.Join(' ', points.Select(p => Number(x.ToPixel(p.X)) + "," + Number(y.ToPixel(p.Y))));
        w.Empty("polyline", ("data-series", series.Key), ("points", coordinates), ("fill", "none"), ("stroke", series.Color),
            ("stroke-width", "2"), ("stroke-dasharray", series.Dashed ? "6 4" : null), ("stroke-linejoin", "round"));
        if (!series.Markers) return;
        foreach (var (px, py) in points)
            w.Empty("circle", ("data-series", series.Key), ("cx", Number(x.ToPixel(px))), ("cy", Number(y.ToPixel(py))), ("r", "3"), ("fill", series.Color));
    }

    private void WriteLegend(MarkupWriter w, List<LineSeries> series)
    {
        double at = _left;
        foreach (var s in series)
        {
            w.Empty("line", ("x1", Number(at)), ("x2", Number(at + 22)), ("y1", "14"), ("y2", "14"), ("stroke", s.Color), ("stroke-width", "2"),
                ("stroke-dasharray", s.Dashed ? "6 4" : null));
            w.Element("text", s.Label, ("x", Number(at + 27)), ("y", "18"), ("font-size", "12"), ("fill", "#222"));
            at += 27 + (s.Label.Length * 7) + 18;
        }
    }

    /// <summary>Keeps every k-th point (and the last) when a line has more than <see cref="MaxPointsPerLine"/>.</summary>
    internal static List<(double X, double Y)> Thin(List<(double X, double Y)> points)
    {
        if (points.Count <= MaxPointsPerLine) return points;
        int stride = (points.Count + MaxPointsPerLine - 1) / MaxPointsPerLine;
        var kept = new List<(double X, double Y)>();
        for (int i = 0; i < points.Count; i += stride) kept.Add(points[i]);
        if ((points.Count - 1) % stride != 0) kept.Add(points[^1]);
        return kept;
    }
}
