using System.Reflection;

namespace TransferKit.Reporting;

/// <summary>The version of this library as built (the informational version, which may carry the commit).</summary>
internal static class LibraryVersion
{
    /// <summary>For example <c>0.1.0</c> or <c>0.1.0+3f2a…</c>.</summary>
    public static string Current { get; } =
        typeof(LibraryVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(LibraryVersion).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
