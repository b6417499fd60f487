using TransferKit.Training.Callbacks;

namespace TransferKit.Reporting;

internal sealed partial class HtmlReportWriter
{
    private const string TrainColor = "#1f77b4", ValidationColor = "#d62728", RateColor = "#2ca02c";

    /// <summary>Loss and accuracy per epoch (train and validation) and the learning rate per step, over every phase.</summary>
    private void WriteCurves()
    {
        _w.Open("section", ("id", "curves"));
        _w.Element("h2", "Training curves");
        int epochs = _phases.Sum(p => p.Result.Epochs.Count);
        if (epochs == 0) Note("No epoch finished, so there are no curves.");
        _w.Open("div", ("class", "charts"));
        var range = (1.0, Math.Max(1.0, epochs));
        var loss = new SvgLineChart("loss", "epoch", "loss") { IntegerX = true, XRange = range, IncludeZero = false }
            .Add(new LineSeries("train", "training", TrainColor, EpochPoints(e => e.TrainLoss)));
        var accuracy = new SvgLineChart("accuracy", "epoch", "accuracy") { IntegerX = true, XRange = range, YRange = (0, 1) }
            .Add(new LineSeries("train", "training", TrainColor, EpochPoints(e => e.TrainAccuracy)));
        if (_phases.Any(p => p.Result.Epochs.Any(e => e.ValidationLoss is not null)))
        {
            loss.Add(new LineSeries("validation", "validation", ValidationColor, EpochPoints(e => e.ValidationLoss ?? double.NaN), Dashed: true));
            accuracy.Add(new LineSeries("validation", "validation", ValidationColor, EpochPoints(e => e.ValidationAccuracy ?? double.NaN), Dashed: true));
        }
        var rate = new SvgLineChart("learning-rate", "epoch (each point is one optimizer step)", "base learning rate") { XRange = (0, Math.Max(1, epochs)), Width = 1098 }
            .Add(new LineSeries("learning-rate", "learning rate per step", RateColor, RatePoints(), Markers: false));
        for (int p = 1; p < _phases.Count; p++)
        {
            string label = _phases[p].Name ?? $"phase {p + 1}";
            loss.Mark(EpochOffset(p) + 0.5, label);
            accuracy.Mark(EpochOffset(p) + 0.5, label);
            rate.Mark(EpochOffset(p), label);
        }
        Chart("Loss", loss, "Mean loss per epoch, training and validation");
        Chart("Accuracy", accuracy, "Accuracy per epoch, training and validation");
        Chart("Learning rate", rate, "Scheduled base learning rate of every optimizer step");
        _w.Close();
        if (!_phases.Any(p => p.Result.LearningRates.Count > 0)) Note("The learning rate of each step was not recorded for this result.");
        _w.Close();
    }

    private void Chart(string heading, SvgLineChart chart, string description)
    {
        _w.Open("figure");
        _w.Element("h3", heading);
        chart.WriteTo(_w, description);
        _w.Close();
    }

    /// <summary>One point per finished epoch of every phase, at its 1-based position on the shared axis.</summary>
    private List<(double X, double Y)> EpochPoints(Func<EpochResult, double> value)
    {
        var points = new List<(double X, double Y)>();
        for (int p = 0; p < _phases.Count; p++)
        {
            int offset = EpochOffset(p);
            var epochs = _phases[p].Result.Epochs;
            for (int i = 0; i < epochs.Count; i++) points.Add((offset + i + 1, value(epochs[i])));
        }
        return points;
    }

    private List<(double X, double Y)> RatePoints()
    {
        var points = new List<(double X, double Y)>();
        for (int p = 0; p < _phases.Count; p++)
        {
            int offset = EpochOffset(p);
            foreach (var point in _phases[p].Result.LearningRates) points.Add((offset + point.Epoch, point.LearningRate));
        }
        return points;
    }

    /// <summary>Every epoch's numbers, folded away by default: the charts carry the same data.</summary>
    private void WriteEpochTable()
    {
        if (_phases.All(p => p.Result.Epochs.Count == 0)) return;
        _w.Open("section", ("id", "epochs"));
        _w.Open("details");
        _w.Element("summary", "Per-epoch numbers");
        _w.Open("table", ("class", "epochs"));
        _w.Open("tr");
        if (MultiPhase) _w.Element("th", "phase");
        foreach (string h in (string[])["epoch", "train loss", "train accuracy", "validation loss", "validation accuracy", "learning rate", "time", "images/s"])
            _w.Element("th", h);
        _w.Close();
        for (int p = 0; p < _phases.Count; p++)
        {
            int offset = EpochOffset(p);
            var result = _phases[p].Result;
            for (int i = 0; i < result.Epochs.Count; i++)
            {
                var e = result.Epochs[i];
                _w.Open("tr");
                if (MultiPhase) _w.Element("td", _phases[p].Name ?? F($"{p + 1}"));
                _w.Element("td", F($"{offset + i + 1}{(result.BestEpoch == e.Epoch ? " (best)" : "")}"));
                _w.Element("td", Fixed(e.TrainLoss, 4));
                _w.Element("td", Percent(e.TrainAccuracy));
                _w.Element("td", e.ValidationLoss is double vl ? Fixed(vl, 4) : "–");
                _w.Element("td", e.ValidationAccuracy is double va ? Percent(va) : "–");
                _w.Element("td", e.LearningRate.ToString("G4", System.Globalization.CultureInfo.InvariantCulture));
                _w.Element("td", Duration(e.Duration));
                _w.Element("td", Fixed(e.ImagesPerSecond, 1));
                _w.Close();
            }
        }
        _w.Close().Close().Close();
    }
}
