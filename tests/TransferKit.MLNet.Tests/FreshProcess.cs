using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using TransferKit.Testing;

namespace TransferKit.MLNet.Tests;

/// <summary>
/// Runs TransferKit.MLNet.LoadCheck, a program that loads a saved model in a new process without naming a TransferKit
/// type, and formats this process's outputs the way it prints them, so the two compare as text.
/// </summary>
internal static class FreshProcess
{
    /// <summary>The float vector <paramref name="column"/> of each image as printed by a new process that loads <paramref name="modelPath"/>.</summary>
    public static string[] Outputs(string modelPath, string column, IEnumerable<string> imagePaths) =>
        Run("TransferKit.MLNet.LoadCheck.dll", [modelPath, column, .. imagePaths], TimeSpan.FromSeconds(120))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Runs <paramref name="program"/> (a dll beside the tests') in a new process with <paramref name="args"/>, asserts that
    /// it ends within <paramref name="timeout"/> with exit code 0, and returns its standard output.
    /// </summary>
    public static string Run(string program, IEnumerable<string> args, TimeSpan timeout)
    {
        // dotnet test sets DOTNET_HOST_PATH to the host that runs it.
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, program));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(timeout), $"{program} did not finish in {timeout.TotalSeconds} s");
        Assert.True(process.ExitCode == 0, $"{program}: exit code {process.ExitCode}: {error.Result}");
        return output;
    }

    /// <summary>The float vector <paramref name="column"/> of each row of <paramref name="scored"/>, one line per row, as the program prints it.</summary>
    public static string[] Format(IDataView scored, string column)
    {
        var col = scored.Schema[column];
        using var cursor = scored.GetRowCursor([col]);
        var getter = cursor.GetGetter<VBuffer<float>>(col);
        var values = default(VBuffer<float>);
        var lines = new List<string>();
        while (cursor.MoveNext())
        {
            getter(ref values);
            lines.Add(string.Join(" ", values.DenseValues().Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }
        return [.. lines];
    }

    /// <summary>Writes each row's image to <paramref name="dir"/> and returns the paths.</summary>
    public static List<string> WriteImages(TempDirectory dir, IReadOnlyList<ImageRow> rows) =>
        rows.Select((r, i) =>
        {
            string path = dir.PathOf($"image{i}.png");
            File.WriteAllBytes(path, r.Image);
            return path;
        }).ToList();
}
