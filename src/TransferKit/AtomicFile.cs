namespace TransferKit;

/// <summary>
/// Writes a file so that readers see the old file or the whole new one, never a part: the content goes to a temporary
/// file beside the target, is flushed to disk and renamed over it. On any failure the temporary file is removed, the
/// target is left as it was, and the exception propagates. Model files, safetensors and reports all go through here.
/// </summary>
internal static class AtomicFile
{
    /// <param name="fullPath">The target, already a full path whose folder exists.</param>
    /// <param name="write">Writes the whole content to the stream it is given.</param>
    public static void Write(string fullPath, Action<FileStream> write)
    {
        string folder = Path.GetDirectoryName(fullPath) ?? ".";
        string temp = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); }
            catch (IOException) { /* best effort: the original error matters more */ }
            catch (UnauthorizedAccessException) { /* same */ }
            throw;
        }
    }
}
