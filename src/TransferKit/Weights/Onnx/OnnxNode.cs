namespace TransferKit.Weights.Onnx;

/// <summary>One operator application in an ONNX graph.</summary>
/// <param name="Name">The node's name (may be empty in the file; the reader then names it after its first output).</param>
/// <param name="OpType">The operator, e.g. <c>Conv</c>.</param>
/// <param name="Domain">The operator set domain ("" or <c>ai.onnx</c> for standard operators).</param>
/// <param name="Inputs">Input value names in order; "" marks an omitted optional input.</param>
/// <param name="Outputs">Output value names in order.</param>
/// <param name="Attributes">Attributes by name.</param>
public sealed record OnnxNode(string Name, string OpType, string Domain, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, OnnxAttribute> Attributes)
{
    /// <summary>The input at <paramref name="index"/>, or null when it is absent or omitted.</summary>
    public string? InputOrNull(int index) => index < Inputs.Count && Inputs[index].Length > 0 ? Inputs[index] : null;
}
