using TransferKit.Data.Decoding;

namespace TransferKit.Data.Datasets;

/// <summary>One sample that could not be decoded.</summary>
/// <param name="Index">The sample's index in the dataset that was scanned or loaded.</param>
/// <param name="SourceName">Its file path (or "file#record", or an in-memory name).</param>
/// <param name="Failure">The kind of problem.</param>
/// <param name="Reason">The decoder's explanation, without the path.</param>
public sealed record BadImage(int Index, string SourceName, ImageDecodeFailure Failure, string Reason)
{
    /// <summary>Creates the entry for sample <paramref name="index"/> from the decoder's error.</summary>
    public static BadImage From(int index, ImageDecodeException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new BadImage(index, error.SourceName, error.Failure, error.Reason);
    }

    /// <summary>Formats as "path: Failure: reason".</summary>
    public override string ToString() => $"{SourceName}: {Failure}: {Reason}";
}
