namespace TransferKit.Weights.Onnx.Export;

/// <summary>Why a traced network cannot be written as ONNX; the API turns it into an <c>OnnxExportException</c> naming the path.</summary>
internal sealed class OnnxExportFailure(string reason) : Exception(reason);
