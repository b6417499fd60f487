namespace TransferKit.Weights;

/// <summary>Progress of a weights download, reported after each chunk written.</summary>
/// <param name="BytesReceived">Bytes received so far.</param>
/// <param name="TotalBytes">The announced size (Content-Length), or null when the server did not send one.</param>
public readonly record struct DownloadProgress(long BytesReceived, long? TotalBytes)
{
    /// <summary>Fraction done in [0, 1], or null when the total is unknown.</summary>
    public double? Fraction => TotalBytes is > 0 ? Math.Min(1.0, (double)BytesReceived / TotalBytes.Value) : null;
}
