namespace TransferKit.Cli;

/// <summary>The process exit codes of <c>transferkit</c>, as scripts read them.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command was well formed but failed: a missing or corrupt file, a bad image, a weights mismatch.</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong: an unknown option, a missing or invalid value (BSD's EX_USAGE is 64, but 2 is what argparse and most tools use).</summary>
    public const int Usage = 2;

    /// <summary>Cancelled by Ctrl+C: 128 + SIGINT, as a shell reports a process killed by the signal.</summary>
    public const int Cancelled = 130;
}
