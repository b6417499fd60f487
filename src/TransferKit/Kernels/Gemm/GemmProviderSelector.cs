namespace TransferKit.Kernels.Gemm;

/// <summary>
/// Chooses the default GEMM provider: CBLAS when a library loads (see <see cref="CblasGemmProvider.CandidateLibraryNames"/>),
/// else <see cref="ManagedGemm"/>, and records why in <see cref="SelectionLog"/>.
/// </summary>
internal static class GemmProviderSelector
{
    private static string s_log = "GEMM: automatic selection has not run (the provider was set explicitly)";

    /// <summary>One line saying which provider the last <see cref="SelectDefault"/> chose and why.</summary>
    internal static string SelectionLog => Volatile.Read(ref s_log);

    /// <summary>The provider the last <see cref="SelectDefault"/> returned, to tell an explicit override apart.</summary>
    internal static IGemmProvider? LastSelected { get; private set; }

    /// <summary>Returns the CBLAS provider if a library loads, else the managed GEMM.</summary>
    public static IGemmProvider SelectDefault()
    {
        IGemmProvider chosen;
        string log;
        if (CblasGemmProvider.TryLoad(out var cblas, out string reason))
        {
            chosen = cblas;
            log = $"GEMM: {cblas.Name}";
        }
        else
        {
            chosen = new ManagedGemm();
            log = FallbackLog(chosen.Name, reason);
        }
        LastSelected = chosen;
        Volatile.Write(ref s_log, log);
        return chosen;
    }

    /// <summary>The log line when no CBLAS loaded: the managed provider, why each library failed, and how to install one.</summary>
    internal static string FallbackLog(string managedName, string reason) =>
        $"GEMM: {managedName} (no CBLAS: {reason} — install with `{CblasGemmProvider.InstallHint}`)";
}
