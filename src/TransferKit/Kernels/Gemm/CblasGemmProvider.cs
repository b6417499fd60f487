using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace TransferKit.Kernels.Gemm;

/// <summary>
/// GEMM through a native CBLAS library (OpenBLAS by preference), loaded at run time with
/// <see cref="NativeLibrary"/> and called through an unmanaged function pointer, row-major. When the library is
/// OpenBLAS, its thread count follows <see cref="Parallelism.DegreeOfParallelism"/>; change that between
/// operations, not while a GEMM runs, since OpenBLAS resizes its thread pool when told.
/// </summary>
public sealed unsafe class CblasGemmProvider : IGemmProvider
{
    /// <summary>The package that provides OpenBLAS on Debian and Ubuntu.</summary>
    public const string InstallHint = "apt-get install -y libopenblas0-pthread";

    private const int CblasRowMajor = 101;
    private const int CblasNoTrans = 111;
    private const int CblasTrans = 112;

    private static readonly string[] s_candidates =
        OperatingSystem.IsWindows() ? ["libopenblas.dll", "openblas.dll"]
        : OperatingSystem.IsMacOS() ? ["libopenblas.0.dylib", "libopenblas.dylib", "/System/Library/Frameworks/Accelerate.framework/Accelerate"]
        : ["libopenblas.so.0", "libcblas.so.3", "libblas.so.3"];

    private static readonly Lazy<(CblasGemmProvider? Provider, string Reason)> s_default =
        new(() => TryLoadFrom(s_candidates, out var p, out string reason) ? (p, reason) : (null, reason));

    private readonly delegate* unmanaged[Cdecl]<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private readonly delegate* unmanaged[Cdecl]<int, void> _setNumThreads;
    private readonly delegate* unmanaged[Cdecl]<int> _getNumThreads;

    private CblasGemmProvider(string libraryName, nint sgemm, nint setNumThreads, nint getNumThreads)
    {
        LibraryName = libraryName;
        _sgemm = (delegate* unmanaged[Cdecl]<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
        _setNumThreads = (delegate* unmanaged[Cdecl]<int, void>)setNumThreads;
        _getNumThreads = (delegate* unmanaged[Cdecl]<int>)getNumThreads;
        IsOpenBlas = setNumThreads != 0;
        Name = IsOpenBlas ? $"OpenBLAS ({libraryName})" : $"CBLAS ({libraryName})";
        if (IsOpenBlas)
        {
            _setNumThreads(Parallelism.DegreeOfParallelism);
            Parallelism.DegreeChanged += OnDegreeChanged;
        }
    }

    /// <summary>
    /// The library file names tried, in order: OpenBLAS, then the generic CBLAS and BLAS sonames (which
    /// Debian's alternatives often point at OpenBLAS or another optimised BLAS); on macOS and Windows, their
    /// usual OpenBLAS names and Apple's Accelerate.
    /// </summary>
    public static IReadOnlyList<string> CandidateLibraryNames { get; } = Array.AsReadOnly(s_candidates);

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The thread count OpenBLAS reports it will use, or null for another CBLAS (tests check that it follows <see cref="Parallelism.DegreeOfParallelism"/>).</summary>
    internal int? NativeThreadCount => _getNumThreads == null ? null : _getNumThreads();

    /// <summary>The file name the library was loaded by, e.g. "libopenblas.so.0".</summary>
    public string LibraryName { get; }

    /// <summary>Whether the library is OpenBLAS (exports <c>openblas_set_num_threads</c>), so its threads follow <see cref="Parallelism.DegreeOfParallelism"/>.</summary>
    public bool IsOpenBlas { get; }

    /// <summary>
    /// Loads the first of <see cref="CandidateLibraryNames"/> that exports <c>cblas_sgemm</c>. The attempt is made
    /// once per process; later calls return the same provider or the same reason.
    /// </summary>
    /// <param name="provider">The provider, or null when none loaded.</param>
    /// <param name="reason">On success, which library was chosen; on failure, why each candidate failed.</param>
    /// <returns>Whether a library loaded.</returns>
    public static bool TryLoad([NotNullWhen(true)] out CblasGemmProvider? provider, out string reason)
    {
        (provider, reason) = s_default.Value;
        return provider is not null;
    }

    /// <summary>Loads the CBLAS library as <see cref="TryLoad"/> does, and fails when there is none.</summary>
    /// <exception cref="NativeLibraryNotFoundException">No candidate library loads or exports <c>cblas_sgemm</c>; the message says which package installs one.</exception>
    public static CblasGemmProvider Load() =>
        TryLoad(out var provider, out string reason)
            ? provider
            : throw new NativeLibraryNotFoundException("CBLAS (GEMM)", CandidateLibraryNames, InstallHint, reason);

    /// <summary>Tries the given library names in order (uncached; tests use it to simulate a missing library).</summary>
    internal static bool TryLoadFrom(IReadOnlyList<string> names, [NotNullWhen(true)] out CblasGemmProvider? provider, out string reason)
    {
        var failures = new List<string>();
        foreach (string name in names)
        {
            if (!NativeLibrary.TryLoad(name, out nint handle))
            {
                failures.Add($"{name}: not found");
                continue;
            }
            if (!NativeLibrary.TryGetExport(handle, "cblas_sgemm", out nint sgemm))
            {
                // A Fortran-only BLAS (reference libblas) has no CBLAS interface.
                NativeLibrary.Free(handle);
                failures.Add($"{name}: loaded but exports no cblas_sgemm");
                continue;
            }
            NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out nint setThreads);
            NativeLibrary.TryGetExport(handle, "openblas_get_num_threads", out nint getThreads);
            provider = new CblasGemmProvider(name, sgemm, setThreads, getThreads);
            reason = failures.Count == 0 ? $"loaded {name}" : $"loaded {name} after {string.Join("; ", failures)}";
            return true;
        }
        provider = null;
        reason = string.Join("; ", failures);
        return false;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a leading dimension is shorter than its stored row.</exception>
    /// <exception cref="ArgumentNullException">A pointer that must be read or written is null.</exception>
    public void Sgemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (GemmArguments.ValidateAndHandleDegenerate(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)) return;
        _sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private void OnDegreeChanged(int degree) => _setNumThreads(degree);
}
