namespace TransferKit.Testing;

/// <summary>
/// A fresh, empty folder under the system's temporary directory that is deleted with everything in it on
/// <see cref="Dispose"/>: <c>using var dir = new TempDirectory();</c> at the top of a test.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates a new, uniquely named folder.</summary>
    /// <param name="prefix">The start of the folder's name, to tell leftovers apart (default <c>transferkit-test-</c>).</param>
    /// <exception cref="IOException">The folder cannot be created.</exception>
    public TempDirectory(string prefix = "transferkit-test-")
    {
        ArgumentNullException.ThrowIfNull(prefix);
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>The full path of <paramref name="relativePath"/> inside the folder; '/' separators work on every OS.</summary>
    /// <param name="relativePath">A path relative to <see cref="Path"/>, such as <c>"train/cat/1.jpg"</c>.</param>
    /// <returns>The full path. Nothing is created.</returns>
    /// <exception cref="ArgumentException">The path is empty, rooted, or leads outside the folder (for example through "..").</exception>
    public string PathOf(string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        string normalized = relativePath.Replace('/', System.IO.Path.DirectorySeparatorChar);
        if (System.IO.Path.IsPathRooted(normalized))
        {
            throw new ArgumentException($"'{relativePath}' is rooted; give a path relative to {Path}.", nameof(relativePath));
        }

        // A test that writes outside its own folder could overwrite anything the user can write; refuse it.
        string full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, normalized));
        if (!full.StartsWith(Path + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{relativePath}' leads outside {Path}.", nameof(relativePath));
        }

        return full;
    }

    /// <summary>Creates the folder <paramref name="relativePath"/> (and its parents) inside this one.</summary>
    /// <param name="relativePath">A path relative to <see cref="Path"/>.</param>
    /// <returns>The folder's full path.</returns>
    /// <exception cref="ArgumentException">The path is empty, rooted, or leads outside the folder.</exception>
    public string CreateDirectory(string relativePath)
    {
        string full = PathOf(relativePath);
        Directory.CreateDirectory(full);
        return full;
    }

    /// <summary>Writes <paramref name="contents"/> to <paramref name="relativePath"/>, creating folders and replacing any file there.</summary>
    /// <param name="relativePath">A path relative to <see cref="Path"/>.</param>
    /// <param name="contents">The file's bytes.</param>
    /// <returns>The file's full path.</returns>
    /// <exception cref="ArgumentException">The path is empty, rooted, or leads outside the folder.</exception>
    public string WriteFile(string relativePath, byte[] contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        string full = PathOf(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, contents);
        return full;
    }

    /// <summary>Deletes the folder and its contents. Calling it again does nothing.</summary>
    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path))
            {
                Directory.Delete(Path, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file still open elsewhere (a memory-mapped cache on Windows, say) must not fail the test that owned it;
            // the leftover is harmless in the temporary directory.
        }
    }

    /// <summary>The folder's full path.</summary>
    public override string ToString() => Path;
}
