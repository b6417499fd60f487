using System.Globalization;
using Spectre.Console;

namespace TransferKit.Samples.DogsVsCats;

/// <summary>Prints a comparison's results: the table, bad images, the saved model and a few predictions.</summary>
public static class ConsoleReport
{
    /// <summary>Writes everything to the console.</summary>
    public static void Print(ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Cats vs. dogs: training from scratch against transfer learning[/]");
        table.AddColumn(new TableColumn("Model").NoWrap());
        foreach (string column in new[] { "Train acc", "Train loss", "Val acc", "Val loss", "Test acc", "Test loss", "Time", "Trainable params" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (var row in result.Rows)
        {
            bool best = ReferenceEquals(row, result.Best);
            string Cell(string text) => best ? $"[bold green]{text}[/]" : text;
            table.AddRow(
                Cell(Markup.Escape(row.Name) + (best ? " *" : "")),
                Cell(Percent(row.Train.Accuracy)), Cell(Loss(row.Train.LogLoss)),
                Cell(Percent(row.Validation.Accuracy)), Cell(Loss(row.Validation.LogLoss)),
                Cell(Percent(row.Test.Accuracy)), Cell(Loss(row.Test.LogLoss)),
                Cell(string.Create(CultureInfo.InvariantCulture, $"{row.TrainingTime.TotalSeconds:F2} s")),
                Cell(string.Create(CultureInfo.InvariantCulture, $"{row.TrainableParameters:N0}")));
        }
        table.Caption($"[grey]* best validation accuracy (saved). Loss is log-loss. Time includes feature caching and per-epoch validation. Total parameters: {string.Join(", ", result.Rows.Select(r => r.TotalParameters).Distinct().Select(n => n.ToString("N0", CultureInfo.InvariantCulture)))}.[/]");
        AnsiConsole.Write(table);

        if (result.BadImages is { Count: > 0 } bad)
        {
            AnsiConsole.MarkupLine($"[yellow]Skipped {bad.Count} unreadable training images:[/]");
            foreach (var item in bad.Items.Take(10)) AnsiConsole.MarkupLine($"  [yellow]{Markup.Escape(item.ToString())}[/]");
            if (bad.Count > 10) AnsiConsole.MarkupLine($"  [yellow]... and {bad.Count - 10} more[/]");
        }

        AnsiConsole.MarkupLine($"Best model: [bold]{Markup.Escape(result.Best.Name)}[/] saved to [link]{Markup.Escape(result.ModelPath)}[/]");
        var predictions = new Table().Border(TableBorder.Simple).Title("Predictions of the best model on test images");
        predictions.AddColumn("File");
        predictions.AddColumn("True");
        predictions.AddColumn("Predicted");
        predictions.AddColumn(new TableColumn("Confidence").RightAligned());
        foreach (var p in result.Predictions)
        {
            string mark = p.Label == p.Truth ? "[green]" : "[red]";
            predictions.AddRow(Markup.Escape(Path.GetFileName(p.Source)), Markup.Escape(p.Truth), $"{mark}{Markup.Escape(p.Label)}[/]", Percent(p.Confidence));
        }
        AnsiConsole.Write(predictions);
    }

    private static string Percent(double value) => value.ToString("P1", CultureInfo.InvariantCulture);

    private static string Loss(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
