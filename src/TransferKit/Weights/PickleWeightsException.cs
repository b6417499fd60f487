namespace TransferKit.Weights;

/// <summary>
/// Raised instead of reading a PyTorch pickle checkpoint (<c>.pt</c>, <c>.pth</c>, <c>.bin</c>, <c>.ckpt</c>, or such
/// content under another name). Unpickling can run arbitrary code, so TransferKit reads weights only from safetensors;
/// the message gives the one-line conversion to run once, in a Python environment that trusts the file.
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

    private static string BuildMessage(string filePath, PickleEvidence evidence)
    {
        string why = evidence switch
        {
            PickleEvidence.Extension => $"its extension '{Path.GetExtension(filePath)}' is a PyTorch pickle checkpoint's",
            PickleEvidence.ZipArchive => "it is a zip archive, the format torch.save writes",
            _ => "it starts with a pickle protocol header",
        };
        return $"{filePath}: refusing to load this file because {why}. Loading a pickle can execute arbitrary code, so TransferKit "
            + "reads weights only from safetensors files. Convert it once, in a Python environment you trust with this file: "
            + ConversionCommand(filePath)
            + " (if the checkpoint wraps the weights, e.g. {'state_dict': ...}, save that inner dictionary).";
    }
}
