namespace TransferKit.Weights;

/// <summary>Why <see cref="PickleWeightsException"/> took a file for a pickle checkpoint.</summary>
public enum PickleEvidence
{
    /// <summary>The extension is one PyTorch uses for pickled checkpoints: <c>.pt</c>, <c>.pth</c>, <c>.bin</c>, <c>.ckpt</c>, <c>.pkl</c>, <c>.pickle</c>.</summary>
    Extension,

    /// <summary>The file is a zip archive (<c>PK\x03\x04</c>), the container <c>torch.save</c> writes since PyTorch 1.6.</summary>
    ZipArchive,

    /// <summary>The file starts with the pickle protocol opcode <c>0x80</c>, as legacy <c>torch.save</c> files do.</summary>
    PickleStream,
}
