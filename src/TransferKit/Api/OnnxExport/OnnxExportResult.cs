namespace TransferKit.Api;

/// <summary>What <see cref="TrainedModel.ExportOnnx"/> wrote.</summary>
/// <param name="Path">Full path of the .onnx file.</param>
/// <param name="Opset">Opset of the default domain.</param>
/// <param name="NodeCount">Number of graph nodes.</param>
/// <param name="InputName">The single input: float32 [batch, 3, InputSize, InputSize].</param>
/// <param name="OutputNames">"probabilities" ([batch, classes], softmax) and "logits" ([batch, classes], or [batch, 1] for a sigmoid head).</param>
/// <param name="Bytes">File size in bytes.</param>
public sealed record OnnxExportResult(string Path, int Opset, int NodeCount, string InputName, IReadOnlyList<string> OutputNames, long Bytes);
