namespace TransferKit.Training.Caching;

/// <summary>The root cache folder: <c>TRANSFERKIT_CACHE</c> when set, else <c>$XDG_CACHE_HOME/transferkit</c>, else the user's local application data.</summary>
internal static class CacheFolders
{
    public static string Root
    {
        get
        {
            string? explicitRoot = Environment.GetEnvironmentVariable("TRANSFERKIT_CACHE");
            if (!string.IsNullOrWhiteSpace(explicitRoot)) return explicitRoot;
            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string baseDir = !string.IsNullOrWhiteSpace(xdg) ? xdg : Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            return Path.Combine(baseDir, "transferkit");
        }
    }
}
