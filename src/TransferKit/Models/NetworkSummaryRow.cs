using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>One row of a <see cref="NetworkSummary"/>: a freezable unit of the network, or its head.</summary>
/// <param name="Name">The unit's name (<c>stem</c>, <c>layer3</c>, <c>features.14</c>) or the head's registered name (<c>fc</c>, <c>classifier</c>).</param>
/// <param name="OutputShape">The row's output for one image, [1, C, H, W] for units and [1, classes] for the head.</param>
/// <param name="Parameters">Parameter elements in the row (BatchNorm running statistics are buffers and not counted).</param>
/// <param name="TrainableParameters">Those of <paramref name="Parameters"/> that train under the current freeze.</param>
public sealed record NetworkSummaryRow(string Name, Shape OutputShape, long Parameters, long TrainableParameters)
{
    /// <summary><c>yes</c> when every parameter trains, <c>no</c> when none does, <c>partly</c> between, <c>-</c> without parameters.</summary>
    public string Trainable => Parameters == 0 ? "-" : TrainableParameters == Parameters ? "yes" : TrainableParameters == 0 ? "no" : "partly";
}
