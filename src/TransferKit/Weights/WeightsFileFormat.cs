namespace TransferKit.Weights;

/// <summary>The format of a weights file, as its first bytes tell (<see cref="WeightsFiles.Detect"/>); the extension plays no part.</summary>
public enum WeightsFileFormat
{
    /// <summary>
    /// None of the others. <see cref="WeightsLoader"/> reads it as safetensors, whose parser then says what is wrong;
    /// <c>UsePretrainedWeights</c> refuses it with a <see cref="WeightsFormatException"/> naming the formats accepted.
    /// </summary>
    Unknown,

    /// <summary>An 8-byte little-endian header length that fits the file, then <c>{</c>.</summary>
    Safetensors,

    /// <summary>A zip archive (<c>PK\x03\x04</c>), the container <c>torch.save</c> writes since PyTorch 1.6; read by <see cref="PyTorchCheckpoint"/>.</summary>
    PyTorchZip,

    /// <summary>A bare pickle stream (protocol opcode <c>0x80</c>), as legacy <c>torch.save</c> wrote; refused.</summary>
    PyTorchLegacy,

    /// <summary>
    /// An ONNX model: a protobuf <c>ModelProto</c> whose top-level fields all parse and include a graph (field 7). It carries
    /// its own architecture, so it is a backbone (<c>UsePretrainedWeights</c> or <c>UseOnnxBackbone</c>), not weights for a
    /// catalog network.
    /// </summary>
    Onnx,
}
