namespace TransferKit;

/// <summary>
/// Writes a file so that readers see the old file or the whole new one, never a part: the content goes to a temporary
/// file beside the target, is flushed to disk and renamed over it. On any failure the temporary file is removed, the
/// target is left as it was, and the exception propagates. Model files, safetensors, checkpoints, reports and weight
/// downloads all go through here.
/// </summary>
/// <remarks>
/// Temporary names are short and independent of the target's (<c>.tk-</c>, 16 hex digits, <c>.tmp</c>: 24 characters),
/// so any file name the file system accepts can be written. A process killed mid-write leaves its temporary file behind;
/// the next write in that folder deletes such leftovers: files named by this class that no writer holds open (a writer
/// keeps its temporary file locked with <see cref="FileShare.None"/>) and that have not been written to for
/// <see cref="StaleAfter"/>. Files named otherwise are never touched.
/// </remarks>
internal static class AtomicFile
{
    private const string Prefix = ".tk-";
    private const string Suffix = ".tmp";

    /// <summary>How long an unlocked temporary file must have been idle before it counts as left behind.</summary>
    internal static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    /// <param name="fullPath">The target, already a full path whose folder exists.</param>
    /// <param name="write">Writes the whole content to the stream it is given.</param>
    public static void Write(string fullPath, Action<FileStream> write)
    {
        string temp = CreateTemporary(fullPath, out var stream);
        try
        {
            using (stream)
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Removes leftovers in the target's folder, then creates a new temporary file there, opened for writing and locked
    /// against other openers. The caller writes it, disposes the stream, then calls <see cref="Commit"/> or
    /// <see cref="TryDelete"/>.
    /// </summary>
    /// <returns>The temporary file's full path.</returns>
    public static string CreateTemporary(string fullPath, out FileStream stream, bool useAsync = false)
    {
        string folder = Path.GetDirectoryName(fullPath) ?? ".";
        RemoveStale(folder);
        while (true)
        {
            string temp = Path.Combine(folder, Prefix + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 8)) + Suffix);
            try
            {
                stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync);
                return temp;
            }
            catch (IOException) when (File.Exists(temp))
            {
                // 64 random bits collided with a live file: draw again.
            }
        }
    }

    /// <summary>Renames a finished temporary file over <paramref name="fullPath"/>.</summary>
    public static void Commit(string temp, string fullPath) => File.Move(temp, fullPath, overwrite: true);

    /// <summary>Deletes <paramref name="path"/> if it can; failures are ignored (the caller's own error matters more).</summary>
    public static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { /* best effort */ }
        catch (UnauthorizedAccessException) { /* same */ }
    }

    /// <summary>Whether <paramref name="fileName"/> is a name this class gives its temporary files.</summary>
    internal static bool IsTemporaryName(string fileName) =>
        fileName.Length == Prefix.Length + 16 + Suffix.Length
        && fileName.StartsWith(Prefix, StringComparison.Ordinal)
        && fileName.EndsWith(Suffix, StringComparison.Ordinal)
        && !fileName.AsSpan(Prefix.Length, 16).ContainsAnyExcept("0123456789abcdef");

    /// <summary>Deletes this class's temporary files in <paramref name="folder"/> that were left behind by killed writers.</summary>
    internal static void RemoveStale(string folder)
    {
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(folder, Prefix + "*" + Suffix).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        var cutoff = DateTime.UtcNow - StaleAfter;
        foreach (string file in candidates)
        {
            if (!IsTemporaryName(Path.GetFileName(file))) continue;
            try
            {
                if (File.GetLastWriteTimeUtc(file) > cutoff) continue;
                // A live writer holds its file with FileShare.None, so this open fails for it and succeeds only for leftovers.
                using (new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { }
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // In use, already gone, or not ours to delete: leave it.
            }
        }
    }
}
