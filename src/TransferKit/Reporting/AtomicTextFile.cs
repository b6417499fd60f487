using System.Text;

namespace TransferKit.Reporting;

/// <summary>
/// Writes a text file atomically, as <see cref="Weights.SafetensorsWriter"/> does for tensors: the text goes to a
/// temporary file beside the target, is flushed to disk and renamed over it, so a reader (a browser refreshing the
/// report) never sees half a page, and a failure leaves the old file and no temporary behind.
/// </summary>
internal static class AtomicTextFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or ends in a folder separator.</exception>
    /// <exception cref="ReportException">The folder is missing, or the file could not be written or renamed.</exception>
    public static void Write(string path, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ReportException(path, $"it is not a valid path: {e.Message}", e);
        }
        string name = Path.GetFileName(fullPath);
        if (name.Length == 0) throw new ArgumentException($"The report path '{path}' names a folder, not a file.", nameof(path));
        string folder = Path.GetDirectoryName(fullPath) ?? ".";
        if (!Directory.Exists(folder)) throw new ReportException(path, $"the folder {folder} does not exist.");

        string temp = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                stream.Write(Utf8NoBom.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, fullPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            // Renaming over a folder fails only at the end; say so plainly rather than with the OS's wording.
            string reason = Directory.Exists(fullPath) ? "it is a folder" : $"it could not be written: {e.Message}";
            throw new ReportException(path, reason, e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string temp)
    {
        try { File.Delete(temp); }
        catch (IOException) { /* best effort: the original error matters more */ }
        catch (UnauthorizedAccessException) { /* same */ }
    }
}
