using TransferKit.Weights.Onnx;

namespace TransferKit.Models.Onnx;

/// <summary>One node to run per forward pass: a tensor operator (<see cref="Kernel"/>) or shape arithmetic (Kernel null).</summary>
/// <param name="Node">The ONNX node.</param>
/// <param name="Inputs">Value slots of its inputs (-1 for an omitted optional input).</param>
/// <param name="Output">Value slot of its first output (the only one computed).</param>
/// <param name="Kernel">The compiled tensor operator, or null for shape arithmetic.</param>
internal sealed record OnnxStep(OnnxNode Node, int[] Inputs, int Output, OnnxKernel? Kernel);
