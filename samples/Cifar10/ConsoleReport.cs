using System.Globalization;
using Spectre.Console;

namespace TransferKit.Samples.Cifar10;

/// <summary>Prints a run's per-epoch history and its test report.</summary>
public static class ConsoleReport
{
    /// <summary>Writes the epoch table, the evaluation report and where the model went to <paramref name="console"/> (see <see cref="SampleConsole"/>).</summary>
    public static void Print(Cifar10Result result, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(console);
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Training[/]");
        table.AddColumn("epoch");
        foreach (string column in new[] { "train loss", "train acc.", "val. loss", "val. acc.", "time", "images/s" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (var e in result.Training.Epochs)
        {
            table.AddRow(
                e.Epoch.ToString(CultureInfo.InvariantCulture),
                e.TrainLoss.ToString("F3", CultureInfo.InvariantCulture),
                e.TrainAccuracy.ToString("0.0%", CultureInfo.InvariantCulture),
                e.ValidationLoss?.ToString("F3", CultureInfo.InvariantCulture) ?? "-",
                e.ValidationAccuracy?.ToString("0.0%", CultureInfo.InvariantCulture) ?? "-",
                $"{e.Duration.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s",
                e.ImagesPerSecond.ToString("F0", CultureInfo.InvariantCulture));
        }
        console.Write(table);

        console.Write(new Rule($"[bold]Test set: accuracy {result.Test.Accuracy.ToString("0.0%", CultureInfo.InvariantCulture)}[/]").LeftJustified());
        console.WriteLine(result.Test.ToText());
        console.MarkupLine($"Model saved to {Markup.Escape(result.ModelPath)} " +
                               $"({result.TrainableParameters:N0} trainable of {result.TotalParameters:N0} parameters; " +
                               $"training {result.Training.TotalTime.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s)");
    }
}
