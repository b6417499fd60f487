namespace TransferKit.Weights;

/// <summary>
/// Raised instead of reading a legacy PyTorch pickle checkpoint: a bare pickle stream, as <c>torch.save</c> wrote before
/// PyTorch 1.6 (or with <c>_use_new_zipfile_serialization=False</c>). Zip checkpoints are read safely by
/// <see cref="PyTorchCheckpoint"/>; a legacy stream interleaves tensor data with the pickle and is not. The message
/// gives the one-line conversion to run once, in a Python environment that trusts the file.
/// </summary>
public sealed class PickleWeightsException : TransferKitException
{
    /// <summary>Creates the error for <paramref name="filePath"/>.</summary>
    public PickleWeightsException(string filePath, PickleEvidence evidence)
        : base(BuildMessage(filePath, evidence))
    {
        FilePath = filePath;
        Evidence = evidence;
    }

    /// <summary>The refused file.</summary>
    public string FilePath { get; }

    /// <summary>What gave the file away.</summary>
    public PickleEvidence Evidence { get; }

    /// <summary>The Python one-liner that converts <paramref name="filePath"/> to safetensors next to it.</summary>
    public static string ConversionCommand(string filePath)
    {
        ArgumentNullException.ThrowIfNull(filePath);
        string name = Path.GetFileName(filePath);
        string output = Path.GetFileNameWithoutExtension(filePath) + ".safetensors";
        return $"python -c \"import torch; from safetensors.torch import save_file; save_file(torch.load('{name}'), '{output}')\"";
    }

    /// <summary>The Python one-liner that re-saves <paramref name="filePath"/> in the zip format TransferKit reads.</summary>
    public static string ZipConversionCommand(string filePath)
    {
        ArgumentNullException.ThrowIfNull(filePath);
        string name = Path.GetFileName(filePath);
        string output = Path.GetFileNameWithoutExtension(filePath) + ".zip.pth";
        return $"python -c \"import torch; torch.save(torch.load('{name}'), '{output}')\"";
    }

    private static string BuildMessage(string filePath, PickleEvidence evidence)
    {
        string why = evidence switch
        {
            PickleEvidence.Extension => $"its extension '{Path.GetExtension(filePath)}' is a PyTorch pickle checkpoint's",
            PickleEvidence.ZipArchive => "it is a zip archive, the format torch.save writes",
            _ => "it is a legacy (pre-1.6) torch.save pickle stream, not the zip format",
        };
        return $"{filePath}: refusing to load this file because {why}. Loading such a pickle can execute arbitrary code, and "
            + "TransferKit reads only safetensors and zip checkpoints (PyTorch 1.6 or later), without running pickle. Convert it "
            + "once, in a Python environment you trust with this file: " + ZipConversionCommand(filePath) + " (zip format), or "
            + ConversionCommand(filePath)
            + " (if the checkpoint wraps the weights, e.g. {'state_dict': ...}, save that inner dictionary).";
    }
}
