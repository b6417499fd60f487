namespace TransferKit.Cli.Tests.Commands;

[Collection(CliCollection.Name)]
public sealed class LrFindCommandTests(CliFixture fixture)
{
    [Fact]
    public async Task LrFind_PrintsTheSuggestionAndWritesTheCurve()
    {
        string page = fixture.PathFor(Path.Combine("lr", "curve.html"));

        var run = (await CliRun.RunAsync(Arguments("--out", page, "--rule", "steepest"))).AssertSuccess();

        Assert.Contains("sweeping baseline from 1E-7 to 1E+1 over 30 batches of 8", run.Error);
        string first = run.Out.Split('\n')[0];
        Assert.StartsWith("suggested learning rate: ", first, StringComparison.Ordinal);
        Assert.Contains("(steepest rule); train with --lr ", first, StringComparison.Ordinal);
        foreach (string rule in (string[])["valley", "steepest", "minimum"]) Assert.Contains("  " + rule, run.Out);
        Assert.Contains($"curve: {page}", run.Out);
        string html = File.ReadAllText(page);
        Assert.Contains("data-chart=\"lr-finder\"", html);
        Assert.Contains("steepest (suggestion)", html);
    }

    [Theory]
    [InlineData("--rule", "fastest", "--rule")]
    [InlineData("--steps", "5", "--steps")]
    [InlineData("--end", "1e-8", "--end")]
    public async Task LrFind_BadOptionsAreUsageErrors(string option, string value, string named)
    {
        var run = await CliRun.RunAsync(Arguments(option, value));
        Assert.Contains(named, run.AssertOneLineError(2));
    }

    private string[] Arguments(params string[] more) =>
    [
        "lr-find", "--data", fixture.DataDirectory, "--arch", "baseline", "--baseline-channels", "8,16", "--input-size", $"{CliFixture.ImageSize}",
        "--batch-size", "8", "--steps", "30", "--seed", "1", .. more,
    ];
}
