namespace TransferKit.Tests;

/// <summary>The repository the tests were built from, for tests that read its scripts and sources.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder holding TransferKit.sln, found above the test binaries.</summary>
    /// <exception cref="InvalidOperationException">The binaries are not inside the repository.</exception>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "TransferKit.sln"))) return dir.FullName;
            throw new InvalidOperationException("TransferKit.sln not found above the test binaries.");
        }
    }
}
