namespace TransferKit.Cli.Tests;

/// <summary>What one in-process run of the CLI returned and wrote.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    /// <summary>Runs <c>transferkit</c> with <paramref name="args"/> in this process, capturing both streams.</summary>
    public static async Task<CliRun> RunAsync(params string[] args) => await RunAsync(CancellationToken.None, null, args);

    /// <summary>Runs with a token and, optionally, a standard-error writer of the caller's.</summary>
    public static async Task<CliRun> RunAsync(CancellationToken cancellationToken, StringWriter? error, params string[] args)
    {
        using var output = new StringWriter();
        error ??= new StringWriter();
        int code = await CliApp.RunAsync(args, output, error, cancellationToken);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>The non-empty lines of standard error.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Asserts a failure with exactly one line on standard error, of the form "transferkit: error: ...", and returns the message.</summary>
    public string AssertOneLineError(int exitCode)
    {
        Assert.True(exitCode == ExitCode, $"exit code {ExitCode}, expected {exitCode}; stderr: {Error}");
        var line = Assert.Single(ErrorLines);
        Assert.StartsWith("transferkit: error: ", line);
        Assert.DoesNotContain("   at ", Error);
        return line["transferkit: error: ".Length..];
    }

    /// <summary>Asserts success, showing standard error when it failed.</summary>
    public CliRun AssertSuccess()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}; stderr: {Error}");
        return this;
    }
}
