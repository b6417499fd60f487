using System.Globalization;
using Spectre.Console;

namespace TransferKit.Samples.DogsVsCats;

/// <summary>Prints a comparison's results: the table, bad images, the saved model and a few predictions.</summary>
public static class ConsoleReport
{
    /// <summary>Writes everything to <paramref name="console"/> (see <see cref="SampleConsole"/>).</summary>
    public static void Print(ComparisonResult result, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(console);
        // One column per model and one row per measure: three or four models fit an 80-column terminal with every
        // header whole, where a column per measure (nine of them) did not and Spectre cut the headers short.
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Cats vs. dogs: training from scratch against transfer learning[/]");
        table.AddColumn(new TableColumn("").NoWrap());
        foreach (var row in result.Rows)
        {
            bool best = ReferenceEquals(row, result.Best);
            string name = Markup.Escape(row.Name) + (best ? " *" : "");
            table.AddColumn(new TableColumn(best ? $"[bold green]{name}[/]" : name).RightAligned());
        }
        void Measure(string label, Func<CandidateResult, string> value) =>
            table.AddRow([label, .. result.Rows.Select(r => ReferenceEquals(r, result.Best) ? $"[bold green]{value(r)}[/]" : value(r))]);
        Measure("Train accuracy", r => Percent(r.Train.Accuracy));
        Measure("Train loss", r => Loss(r.Train.LogLoss));
        Measure("Validation accuracy", r => Percent(r.Validation.Accuracy));
        Measure("Validation loss", r => Loss(r.Validation.LogLoss));
        Measure("Test accuracy", r => Percent(r.Test.Accuracy));
        Measure("Test loss", r => Loss(r.Test.LogLoss));
        Measure("Training time", r => string.Create(CultureInfo.InvariantCulture, $"{r.TrainingTime.TotalSeconds:F2} s"));
        Measure("Trainable params", r => string.Create(CultureInfo.InvariantCulture, $"{r.TrainableParameters:N0}"));
        Measure("Total params", r => string.Create(CultureInfo.InvariantCulture, $"{r.TotalParameters:N0}"));
        table.Caption("[grey]* best validation accuracy (saved). Loss is log-loss. Time includes feature caching and per-epoch validation.[/]");
        console.Write(table);

        if (result.BadImages is { Count: > 0 } bad)
        {
            console.MarkupLine($"[yellow]Skipped {bad.Count} unreadable training images:[/]");
            foreach (var item in bad.Items.Take(10)) console.MarkupLine($"  [yellow]{Markup.Escape(item.ToString())}[/]");
            if (bad.Count > 10) console.MarkupLine($"  [yellow]... and {bad.Count - 10} more[/]");
        }

        console.MarkupLine($"Best model: [bold]{Markup.Escape(result.Best.Name)}[/] saved to {Markup.Escape(result.ModelPath)}");
        var predictions = new Table().Border(TableBorder.Simple).Title("Predictions of the best model on test images");
        predictions.AddColumn("File");
        predictions.AddColumn("True");
        predictions.AddColumn("Predicted");
        predictions.AddColumn(new TableColumn("Confidence").RightAligned().NoWrap());
        foreach (var p in result.Predictions)
        {
            string mark = p.Label == p.Truth ? "[green]" : "[red]";
            predictions.AddRow(Markup.Escape(ShortName(p.Source)), Markup.Escape(p.Truth), $"{mark}{Markup.Escape(p.Label)}[/]", Percent(p.Confidence));
        }
        console.Write(predictions);
    }

    // A photo's name alone is ambiguous in class folders (PetImages has a Cat/96.jpg and a Dog/96.jpg): keep its folder.
    private static string ShortName(string path) =>
        Path.GetDirectoryName(path) is { Length: > 0 } folder ? $"{Path.GetFileName(folder)}/{Path.GetFileName(path)}" : path;

    private static string Percent(double value) => value.ToString("0.0%", CultureInfo.InvariantCulture);

    private static string Loss(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
