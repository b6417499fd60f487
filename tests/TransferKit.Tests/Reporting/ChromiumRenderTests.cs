using System.Diagnostics;
using TransferKit.Api;
using TransferKit.Data.Decoding;
using TransferKit.Reporting;

namespace TransferKit.Tests.Reporting;

/// <summary>
/// Renders the report in headless Chromium and checks the screenshot is a real page. Runs when TRANSFERKIT_CHROMIUM
/// names the browser (and fails if that file is missing) or when <c>chromium</c> is on the PATH; otherwise it returns
/// without asserting.
/// </summary>
[Collection(TrainedReportCollection.Name)]
public sealed class ChromiumRenderTests(TrainedReport fixture)
{
    private const string Variable = "TRANSFERKIT_CHROMIUM";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void ReportRendersInHeadlessChromium()
    {
        string? chromium = FindChromium();
        if (chromium is null) return;
        string screenshot = Path.Combine(fixture.Directory, "report.png");
        string profile = Directory.CreateTempSubdirectory("tk-chromium-").FullName;
        try
        {
            Run(chromium, screenshot, profile, fixture.ReportPath, 1200, 2400);
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }

        var image = ImageDecoder.Decode(screenshot);
        Assert.Equal((1200, 2400), (image.Width, image.Height));
        var colours = new HashSet<int>();
        for (int i = 0; i < image.Pixels.Length; i += 3) colours.Add((image.Pixels[i] << 16) | (image.Pixels[i + 1] << 8) | image.Pixels[i + 2]);
        Assert.True(colours.Count > 200, $"only {colours.Count} distinct colours: the page looks blank");

        // The confusion matrix's most filled cell, in the colour the heat map gives it.
        var matrix = fixture.Result.ValidationReport!.ConfusionMatrix;
        double share = matrix.Where(r => r.Sum() > 0).Max(r => (double)r.Max() / r.Sum());
        var (red, green, blue) = ColorScale.At(share);
        int matches = 0;
        for (int i = 0; i < image.Pixels.Length; i += 3)
        {
            if (Math.Abs(image.Pixels[i] - red) <= 2 && Math.Abs(image.Pixels[i + 1] - green) <= 2 && Math.Abs(image.Pixels[i + 2] - blue) <= 2) matches++;
        }
        // A 44 px cell is about 1,900 pixels; the colour bar alone holds only a few dozen of this exact colour.
        Assert.True(matches >= 500, $"the heat map colour {ColorScale.Hex((red, green, blue))} covers {matches} pixels");
    }

    /// <summary>
    /// The edge cases (a flat loss, class-folder captions, skipped images, the learning-rate finder) at a desktop and a
    /// phone width. Set TRANSFERKIT_SCREENSHOTS to a folder to keep the screenshots for a person to look at.
    /// </summary>
    [Theory]
    [InlineData(1280)]
    [InlineData(400)]
    public void EdgeReportRendersAtDesktopAndPhoneWidths(int width)
    {
        string? chromium = FindChromium();
        if (chromium is null) return;
        string page = Path.Combine(fixture.Directory, $"edge-{width}.html");
        var sweep = new LearningRateFinderResult([.. Enumerable.Range(0, 60).Select(i => new LearningRatePoint(1e-6 * Math.Pow(10, i / 10.0), 0.7 - (0.005 * i), 0.7 - (0.005 * i)))],
            false, LearningRateSuggestionRule.Valley, 6, 55, 1e-3, 3e-3, 1e-2);
        File.WriteAllText(page, EdgeReport.From(fixture.Result).ToHtml(sweep));
        string screenshot = Path.Combine(fixture.Directory, $"edge-{width}.png");
        string profile = Directory.CreateTempSubdirectory("tk-chromium-").FullName;
        try
        {
            Run(chromium, screenshot, profile, page, width, 3200);
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }

        var image = ImageDecoder.Decode(screenshot);
        Assert.Equal((width, 3200), (image.Width, image.Height));
        var colours = new HashSet<int>();
        for (int i = 0; i < image.Pixels.Length; i += 3) colours.Add((image.Pixels[i] << 16) | (image.Pixels[i + 1] << 8) | image.Pixels[i + 2]);
        Assert.True(colours.Count > 100, $"only {colours.Count} distinct colours: the page looks blank");
        if (Environment.GetEnvironmentVariable("TRANSFERKIT_SCREENSHOTS") is { Length: > 0 } keep)
            File.Copy(screenshot, Path.Combine(keep, Path.GetFileName(screenshot)), overwrite: true);
    }

    private static string? FindChromium()
    {
        string? configured = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(configured))
        {
            Assert.True(File.Exists(configured), $"{Variable} names {configured}, which does not exist.");
            return configured;
        }
        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(folder, "chromium");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static void Run(string chromium, string screenshot, string profile, string page, int width, int height)
    {
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            $"--window-size={width},{height}", $"--user-data-dir={profile}", $"--screenshot={screenshot}", new Uri(page).AbsoluteUri])
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        // Read both streams asynchronously so a chatty browser cannot block on a full pipe.
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"Chromium did not finish within {Timeout.TotalSeconds} s.");
        }
        Assert.True(process.ExitCode == 0 && File.Exists(screenshot),
            $"Chromium exited with {process.ExitCode}: {output.GetAwaiter().GetResult()} {errors.GetAwaiter().GetResult()}");
    }
}
