using System.Globalization;

namespace TransferKit.Cli.Tests.Commands;

[Collection(CliCollection.Name)]
public sealed class PredictCommandTests(CliFixture fixture)
{
    [Fact]
    public async Task Csv_HasARowPerFileWithAClassNameAndAProbability()
    {
        string[] files = [fixture.Images.Files[0], fixture.Images.Files[^1]];

        var run = (await CliRun.RunAsync(["predict", "--model", fixture.ModelPath, .. files, "--csv"])).AssertSuccess();

        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("file,label,confidence", lines[0]);
        Assert.Equal(3, lines.Length);
        for (int i = 0; i < files.Length; i++)
        {
            var cells = lines[i + 1].Split(',');
            Assert.Equal(files[i], cells[0]);
            Assert.Contains(cells[1], new[] { "cat", "dog" });
            float confidence = float.Parse(cells[2], CultureInfo.InvariantCulture);
            Assert.InRange(confidence, 0.5f, 1f); // the winner of two classes has at least half
        }
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task Directory_ExpandsToItsImages_AndTopKListsTheClasses()
    {
        string cats = Path.Combine(fixture.DataDirectory, "cat");

        var run = (await CliRun.RunAsync("predict", "--model", fixture.ModelPath, cats, "--top", "2")).AssertSuccess();

        var rows = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
        Assert.Equal(10, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.StartsWith(cats, r);
            Assert.Contains("cat ", r[cats.Length..]);
            Assert.Contains("dog ", r[cats.Length..]);
        });
    }

    [Fact]
    public async Task BFloat16Precision_PredictsTheSameClassesWithCloseProbabilities_AndAnUnknownPrecisionIsAUsageError()
    {
        string[] files = [.. fixture.Images.Files.Take(4)];
        var fp32 = (await CliRun.RunAsync(["predict", "--model", fixture.ModelPath, .. files, "--csv"])).AssertSuccess();
        var bf16 = (await CliRun.RunAsync(["predict", "--model", fixture.ModelPath, .. files, "--csv", "--precision", "bfloat16"])).AssertSuccess();

        static string[][] Rows(string output) => [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1).Select(l => l.Split(','))];
        var expected = Rows(fp32.Out);
        var actual = Rows(bf16.Out);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i][0], actual[i][0]);
            double p32 = double.Parse(expected[i][2], System.Globalization.CultureInfo.InvariantCulture);
            double p16 = double.Parse(actual[i][2], System.Globalization.CultureInfo.InvariantCulture);
            // A near tie may flip the class; otherwise the class is the same and its probability within a few hundredths.
            if (expected[i][1] == actual[i][1]) Assert.InRange(Math.Abs(p32 - p16), 0, 0.05);
            else Assert.InRange(p32, 0, 0.55);
        }

        var bad = await CliRun.RunAsync(["predict", "--model", fixture.ModelPath, files[0], "--precision", "float8"]);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("float8", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadImage_IsReportedAndSkipped_AndTheExitCodeSaysSo()
    {
        string bad = fixture.PathFor("broken.jpg");
        File.WriteAllBytes(bad, File.ReadAllBytes(fixture.Images.Files[0])[..100]);

        var run = await CliRun.RunAsync("predict", "--model", fixture.ModelPath, fixture.Images.Files[1], bad, "--csv");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(2, run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains(run.ErrorLines, l => l.StartsWith($"transferkit: error: {bad}: ", StringComparison.Ordinal));
    }
}
