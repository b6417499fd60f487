namespace TransferKit.Weights;

/// <summary>Why <see cref="PickleWeightsException"/> took a file for a pickle checkpoint it will not read.</summary>
public enum PickleEvidence
{
    /// <summary>
    /// The extension is one PyTorch uses for pickled checkpoints. The library tells formats by content
    /// (<see cref="WeightsFiles.Detect"/>) and no longer raises this; kept for callers that refuse by name.
    /// </summary>
    Extension,

    /// <summary>
    /// The file is a zip archive (<c>PK\x03\x04</c>). Zip checkpoints are now read by <see cref="PyTorchCheckpoint"/>,
    /// so the library no longer raises this; kept for callers that refuse by name.
    /// </summary>
    ZipArchive,

    /// <summary>The file starts with the pickle protocol opcode <c>0x80</c>, as legacy <c>torch.save</c> files do.</summary>
    PickleStream,
}
