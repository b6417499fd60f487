using System.Diagnostics;

namespace TransferKit.Cli.Tests;

/// <summary>The built tool as a real process: what a shell sees (exit codes, streams).</summary>
public sealed class ProcessTests
{
    [Fact]
    public void Help_ExitsZero_AndAUsageError_ExitsTwoWithOneLine()
    {
        var help = Run("train", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("transferkit train [options]", help.Out);
        Assert.Contains("Examples:", help.Out);
        Assert.Equal("", help.Error);

        var usage = Run("train", "--data", "somewhere");
        Assert.Equal(2, usage.ExitCode);
        Assert.Equal("", usage.Out);
        Assert.Equal("transferkit: error: Option '--out' is required. (see 'transferkit train --help')", usage.Error.Trim());

        var version = Run("--version");
        Assert.Equal(0, version.ExitCode);
        Assert.StartsWith("0.", version.Out);
    }

    private static (int ExitCode, string Out, string Error) Run(params string[] args)
    {
        // dotnet test sets DOTNET_HOST_PATH to the host that runs it; the tool's dll sits beside the tests'.
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "TransferKit.Cli.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(30_000), "transferkit did not exit within 30 s");
        return (process.ExitCode, output, error.Result);
    }
}
