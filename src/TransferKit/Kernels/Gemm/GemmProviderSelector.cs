namespace TransferKit.Kernels.Gemm;

/// <summary>
/// Chooses the default GEMM provider and records why in <see cref="SelectionLog"/>. On CPUs with 256-bit FMA vectors
/// or wider (AVX2 and FMA, or AVX-512) the managed GEMM comes first, since only it runs the convolutions' fused paths
/// (epilogues, prologues, kept weight panels):
/// <list type="bullet">
/// <item>AVX-512 (Zen 5): Debian 12's OpenBLAS 0.3.21 runs its AVX2 kernels there, and the managed 8x32 kernel
/// measured 1.8x faster on the baseline-CNN training step (benchmarks/peer/compare.sh).</item>
/// <item>AVX2 only (Zen 3, 2026-12-07): the managed 6x16 kernel against OpenBLAS's own AVX2 kernels gave ResNet-50
/// inference 1.2x, Inception-v3 1.3x, the baseline-CNN step 1.2x-1.5x and the ResNet-50 fine-tune step 1.0x.</item>
/// </list>
/// Elsewhere (narrower vectors, no FMA) CBLAS is used when a library loads
/// (see <see cref="CblasGemmProvider.CandidateLibraryNames"/>), else the managed GEMM. The environment variable
/// <c>TRANSFERKIT_GEMM</c> overrides the choice: <c>cblas</c> (fail if no library loads), <c>managed</c>, or <c>auto</c>.
/// </summary>
internal static class GemmProviderSelector
{
    private static string s_log = "GEMM: automatic selection has not run (the provider was set explicitly)";

    /// <summary>One line saying which provider the last <see cref="SelectDefault"/> chose and why.</summary>
    internal static string SelectionLog => Volatile.Read(ref s_log);

    /// <summary>The provider the last <see cref="SelectDefault"/> returned, to tell an explicit override apart.</summary>
    internal static IGemmProvider? LastSelected { get; private set; }

    /// <summary>The environment variable that overrides the automatic choice.</summary>
    internal const string EnvironmentVariable = "TRANSFERKIT_GEMM";

    /// <summary>
    /// Returns the provider <c>TRANSFERKIT_GEMM</c> names; else the managed GEMM on CPUs with 256-bit FMA vectors or
    /// wider; else the CBLAS provider if a library loads; else the managed GEMM.
    /// </summary>
    /// <exception cref="TransferKitException">The variable names an unknown provider.</exception>
    /// <exception cref="NativeLibraryNotFoundException">The variable asks for CBLAS and no library loads.</exception>
    public static IGemmProvider SelectDefault() =>
        Select(Environment.GetEnvironmentVariable(EnvironmentVariable), HasWideFma);

    /// <summary>Whether the CPU multiply-adds 256-bit vectors or wider in hardware (AVX2 and FMA, or AVX-512).</summary>
    internal static bool HasWideFma =>
        System.Runtime.Intrinsics.X86.Fma.IsSupported && System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated;

    /// <summary>The selection rule, with the request and <see cref="HasWideFma"/> as inputs (so tests cover every branch).</summary>
    internal static IGemmProvider Select(string? request, bool hasWideFma)
    {
        IGemmProvider chosen;
        string log;
        string requested = (request ?? "auto").Trim().ToLowerInvariant();
        if (requested is "managed")
        {
            chosen = new ManagedGemm();
            log = $"GEMM: {chosen.Name} ({EnvironmentVariable}=managed)";
        }
        else if (requested is "cblas")
        {
            var forced = CblasGemmProvider.Load();
            chosen = forced;
            log = $"GEMM: {forced.Name} ({EnvironmentVariable}=cblas)";
        }
        else if (requested is not ("auto" or ""))
        {
            throw new TransferKitException($"{EnvironmentVariable}='{requested}' is not a GEMM provider; use auto, cblas or managed.");
        }
        else if (hasWideFma)
        {
            chosen = new ManagedGemm();
            log = $"GEMM: {chosen.Name} (preferred over CBLAS on CPUs with AVX2 and FMA or AVX-512; {EnvironmentVariable}=cblas selects OpenBLAS)";
        }
        else if (CblasGemmProvider.TryLoad(out var cblas, out string reason))
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
