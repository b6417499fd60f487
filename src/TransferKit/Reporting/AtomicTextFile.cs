using System.Text;

namespace TransferKit.Reporting;

/// <summary>
/// Writes a report through <see cref="AtomicFile"/>, so a browser refreshing it never sees half a page, and turns
/// the ways it can fail into a <see cref="ReportException"/> that names the file.
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

        try
        {
            AtomicFile.Write(fullPath, stream => stream.Write(Utf8NoBom.GetBytes(text)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Renaming over a folder fails only at the end; say so plainly rather than with the OS's wording.
            string reason = Directory.Exists(fullPath) ? "it is a folder" : $"it could not be written: {e.Message}";
            throw new ReportException(path, reason, e);
        }
    }
}
