using System.Globalization;
using Spectre.Console;

namespace TransferKit.Samples.FashionMnist;

/// <summary>Prints the three models' table.</summary>
public static class ConsoleReport
{
    /// <summary>Writes one row per model to <paramref name="console"/> (see <see cref="SampleConsole"/>: plain text when redirected or NO_COLOR).</summary>
    public static void Print(IReadOnlyList<FashionMnistRow> rows, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(console);
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Fashion-MNIST: from scratch against ImageNet ResNet-18[/]");
        table.AddColumn(new TableColumn("Model").NoWrap());
        foreach (string column in new[] { "Test accuracy", "Test log-loss", "Time", "Trainable params" })
        {
            table.AddColumn(new TableColumn(column).RightAligned().NoWrap());
        }
        foreach (var r in rows)
        {
            table.AddRow(
                Markup.Escape(r.Name),
                r.Test.Accuracy.ToString("0.0%", CultureInfo.InvariantCulture),
                r.Test.LogLoss.ToString("F3", CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{r.Time.TotalSeconds:F1} s"),
                string.Create(CultureInfo.InvariantCulture, $"{r.TrainableParameters:N0}"));
        }
        table.Caption("[grey]Time is training (feature caching and validation included) plus the test evaluation. The fine-tune's trainable " +
                      "parameters are those of its second phase.[/]");
        console.Write(table);
    }
}
