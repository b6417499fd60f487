using TransferKit.Data.Decoding;

namespace TransferKit.Data.Synthetic;

/// <summary>One file written by <see cref="BadImageFolder"/>.</summary>
/// <param name="Path">The full path of the file.</param>
/// <param name="ExpectedFailure">The failure <see cref="ImageDecoder"/> reports for it, or null when it decodes (an
/// unusual but valid image that a loader must accept).</param>
/// <param name="Description">What the file is.</param>
public sealed record BadImageFolderEntry(string Path, ImageDecodeFailure? ExpectedFailure, string Description)
{
    /// <summary>The file name without its folder.</summary>
    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>Whether the file fails to decode.</summary>
    public bool IsBad => ExpectedFailure is not null;
}
