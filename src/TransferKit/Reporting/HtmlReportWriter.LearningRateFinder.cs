using System.Globalization;
using static TransferKit.Reporting.MarkupWriter;

namespace TransferKit.Reporting;

internal sealed partial class HtmlReportWriter
{
    private const string RawLossColor = "#9ecae1", SmoothedColor = "#1f77b4", UsedColor = "#ff7f0e";

    /// <summary>A page with only the learning-rate finder's section.</summary>
    public static string RenderLearningRateFinder(LearningRateSweep sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var page = new HtmlReportWriter([]) { _sweep = sweep };
        page.WriteHead("Learning-rate finder");
        page._w.Open("body").Open("main");
        page._w.Element("h1", "Learning-rate finder");
        page._w.Element("p", F($"{sweep.Points.Count} batches, suggested rate {Rate(sweep.Suggestion)} ({sweep.Chosen} rule)"), ("class", "subtitle"));
        page.WriteLearningRateFinder();
        return page.Finish(null);
    }

    /// <summary>The loss against log(rate), the window the rules read, each rule's rate, and a table of them.</summary>
    private void WriteLearningRateFinder()
    {
        if (_sweep is not { } sweep) return;
        _w.Open("section", ("id", "lr-finder"));
        _w.Element("h2", "Learning-rate finder");
        _w.Element("p", F($"Suggested base learning rate: {Rate(sweep.Suggestion)} by the {sweep.Chosen} rule. The rules read the smoothed loss of batches {sweep.FirstUsed + 1} to {sweep.EndUsed} of {sweep.Points.Count}, leaving out the warm-up and the divergent tail."));
        if (sweep.Diverged) Note("The sweep stopped early: the loss diverged.");
        var finite = sweep.Points.Where(p => p.Rate > 0 && double.IsFinite(p.Smoothed)).ToList();
        var used = sweep.Points.Skip(sweep.FirstUsed).Take(Math.Max(0, sweep.EndUsed - sweep.FirstUsed)).Where(p => double.IsFinite(p.Smoothed)).ToList();
        // The divergent tail can reach many times the starting loss; drawing it to scale would flatten the useful part.
        double top = 1.25 * (used.Count > 0 ? used.Max(p => p.Smoothed) : finite.Count > 0 ? finite.Max(p => p.Smoothed) : 1);
        double bottom = Math.Min(used.Count > 0 ? used.Min(p => p.Smoothed) : 0, finite.Count > 0 ? finite.Min(p => Math.Min(p.Loss, top)) : 0);
        var chart = new SvgLineChart("lr-finder", "learning rate (log scale)", "loss")
        {
            Width = 1098, IncludeZero = false, IntegerX = true, YRange = (bottom, top), XFormat = v => Rate(Math.Pow(10, v)),
        }
            .Add(new LineSeries("loss", "batch loss", RawLossColor, Capped(finite, p => p.Loss, top), Markers: false))
            .Add(new LineSeries("smoothed", "smoothed loss", SmoothedColor, Capped(finite, p => p.Smoothed, top), Markers: false))
            .Add(new LineSeries("used", "read by the rules", UsedColor, Capped(used, p => p.Smoothed, top), Markers: false));
        foreach (var (rule, rate) in sweep.Suggestions.Where(s => s.Rate > 0 && double.IsFinite(s.Rate)))
            chart.Mark(Math.Log10(rate), F($"{rule} {Rate(rate)}"));
        _w.Open("div", ("class", "charts"));
        Chart("Loss against learning rate", chart, "Batch loss and smoothed loss against the learning rate on a log axis, with each rule's suggestion marked");
        _w.Close();
        _w.Open("table", ("class", "lr-rules"));
        _w.Open("tr").Element("th", "rule").Element("th", "learning rate").Close();
        foreach (var (rule, rate) in sweep.Suggestions)
        {
            _w.Open("tr", ("class", rule == sweep.Chosen ? "total" : null));
            _w.Element("td", rule == sweep.Chosen ? rule + " (suggestion)" : rule);
            _w.Element("td", Rate(rate));
            _w.Close();
        }
        _w.Close().Close();
    }

    private static List<(double X, double Y)> Capped(List<(double Rate, double Loss, double Smoothed)> points, Func<(double Rate, double Loss, double Smoothed), double> y, double top) =>
        points.Select(p => (Math.Log10(p.Rate), Math.Min(y(p), top))).ToList();

    /// <summary>A rate as three significant digits in exponent form, e.g. 1.23E-3.</summary>
    internal static string Rate(double rate) => double.IsFinite(rate) ? rate.ToString("0.##E+0", CultureInfo.InvariantCulture) : "n/a";
}
