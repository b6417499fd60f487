namespace TransferKit.Weights;

/// <summary>
/// Raised when a weights file is of a format that cannot be used where it was given: content that is none of the formats
/// TransferKit reads, or an ONNX model handed to a loader of catalog-network weights. The message names the file, what
/// its content is, and the formats accepted (<see cref="AcceptedFormats"/>).
/// </summary>
public sealed class WeightsFormatException : TransferKitException
{
    /// <summary>The formats <c>UsePretrainedWeights(path)</c> accepts, as the message lists them.</summary>
    public const string AcceptedFormats =
        "safetensors (.safetensors), a PyTorch zip checkpoint (.pth/.pt, read without running pickle) or an ONNX model (.onnx); the format is told by content, not extension";

    /// <summary>Creates the error for <paramref name="filePath"/>, detected as <paramref name="format"/>, refused for <paramref name="reason"/>.</summary>
    public WeightsFormatException(string filePath, WeightsFileFormat format, string reason)
        : base($"{filePath}: {reason}. Accepted: {AcceptedFormats}.")
    {
        FilePath = filePath;
        Format = format;
    }

    /// <summary>The refused file.</summary>
    public string FilePath { get; }

    /// <summary>What its content was detected as (<see cref="WeightsFileFormat.Unknown"/> when nothing matched).</summary>
    public WeightsFileFormat Format { get; }
}
