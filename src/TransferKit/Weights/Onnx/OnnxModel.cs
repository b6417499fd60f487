namespace TransferKit.Weights.Onnx;

/// <summary>
/// An ONNX model as read from a file: its graph, operator sets and metadata. Reading never executes anything and checks
/// every length and dimension; see <see cref="Load"/>. <see cref="Models.Onnx.OnnxNetwork"/> turns it into a network.
/// </summary>
/// <param name="FilePath">Where it was read from (used in error messages).</param>
/// <param name="IrVersion">The ONNX IR version.</param>
/// <param name="ProducerName">The tool that wrote it (<c>pytorch</c>, <c>CNTK</c>).</param>
/// <param name="OpsetImports">Operator set versions by domain ("" is the standard domain).</param>
/// <param name="Graph">The graph.</param>
/// <param name="Metadata">The <c>metadata_props</c> entries.</param>
public sealed record OnnxModel(string FilePath, long IrVersion, string ProducerName, IReadOnlyDictionary<string, long> OpsetImports,
    OnnxGraph Graph, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The standard operator set version the model was written for (<c>ai.onnx</c>).</summary>
    public long Opset => OpsetImports.TryGetValue("", out var v) ? v : OpsetImports.TryGetValue("ai.onnx", out var w) ? w : 1;

    /// <summary>
    /// Reads an ONNX model file. External tensor data is read from files named relative to the model's folder, as the ONNX
    /// checker requires: an absolute location, a <c>..</c> segment, a link or a path resolving outside the folder is refused.
    /// </summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="OnnxModelException">The file is not valid ONNX protobuf, a tensor's data does not match its dims, a
    /// dimension is negative or absurd, or an external-data location escapes the model's folder.</exception>
    public static OnnxModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"ONNX model '{path}' does not exist.", path);
        return OnnxModelReader.Read(File.ReadAllBytes(full), full, Path.GetDirectoryName(full));
    }

    /// <summary>Reads an ONNX model from bytes; external data is refused since there is no folder to resolve it in.</summary>
    /// <param name="bytes">The serialized <c>ModelProto</c>.</param>
    /// <param name="sourceName">A name for error messages.</param>
    /// <exception cref="OnnxModelException">As for <see cref="Load"/>.</exception>
    public static OnnxModel Parse(ReadOnlySpan<byte> bytes, string sourceName = "<memory>") => OnnxModelReader.Read(bytes, sourceName, null);
}
