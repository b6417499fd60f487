using System.Text;

namespace TransferKit.Data.Datasets;

/// <summary>
/// Raised under <see cref="BadImagePolicy.Strict"/>: the dataset contains images that cannot be decoded.
/// <see cref="BadImages"/> lists all that were found (a <see cref="DatasetScanner"/> scan finds every one at once);
/// the message lists the first hundred.
/// </summary>
public sealed class BadImagesException : TransferKitException
{
    private const int ListedInMessage = 100;

    /// <summary>Creates the error for <paramref name="badImages"/>.</summary>
    /// <param name="badImages">The bad samples, at least one.</param>
    /// <param name="scanned">How many samples were examined, for the message; null when the first bad one stopped the run.</param>
    /// <exception cref="ArgumentException"><paramref name="badImages"/> is empty.</exception>
    public BadImagesException(IReadOnlyList<BadImage> badImages, int? scanned = null)
        : base(Describe(badImages, scanned))
    {
        BadImages = badImages;
    }

    /// <summary>The bad samples, ordered by index.</summary>
    public IReadOnlyList<BadImage> BadImages { get; }

    private static string Describe(IReadOnlyList<BadImage> badImages, int? scanned)
    {
        ArgumentNullException.ThrowIfNull(badImages);
        if (badImages.Count == 0)
        {
            throw new ArgumentException("At least one bad image is needed.", nameof(badImages));
        }

        var text = new StringBuilder();
        text.Append(badImages.Count);
        if (scanned is not null)
        {
            text.Append(" of ").Append(scanned);
        }

        text.Append(" image(s) cannot be decoded (BadImagePolicy.Strict; use SkipAndReport to train without them");
        text.Append(scanned is null ? "; DatasetScanner lists every bad image at once):" : "):");
        foreach (BadImage item in badImages.Take(ListedInMessage))
        {
            text.AppendLine().Append("  ").Append(item);
        }

        if (badImages.Count > ListedInMessage)
        {
            text.AppendLine().Append("  ... and ").Append(badImages.Count - ListedInMessage).Append(" more (see BadImages)");
        }

        return text.ToString();
    }
}
