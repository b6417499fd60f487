using System.Globalization;
using System.Text;
using TransferKit.Autograd;
using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// A network at a glance, as Keras' <c>model.summary()</c> shows one: a row per freezable unit and one for the head, with
/// the output shape for one image, the parameter count and whether it trains, then the totals. <see cref="ToString"/>
/// renders the table as plain, culture-invariant text.
/// </summary>
/// <param name="InputShape">The input the shapes were measured with, [1, channels, size, size].</param>
/// <param name="Rows">The units in forward order, then the head.</param>
public sealed record NetworkSummary(Shape InputShape, IReadOnlyList<NetworkSummaryRow> Rows)
{
    /// <summary>Parameter elements in all rows.</summary>
    public long TotalParameters => Rows.Sum(r => r.Parameters);

    /// <summary>Those of <see cref="TotalParameters"/> that train under the current freeze.</summary>
    public long TrainableParameters => Rows.Sum(r => r.TrainableParameters);

    /// <summary>
    /// Measures <paramref name="network"/> by running one image of zeros through it, unit by unit, in evaluation mode
    /// without recording gradients; every module's training mode is restored afterwards. Do not call it while the
    /// network trains on another thread.
    /// </summary>
    /// <param name="network">The network to describe.</param>
    /// <param name="inputSize">Side of the square input in pixels (the preprocessing's <c>InputSize</c>).</param>
    /// <param name="inputChannels">Channels of the input; null for the network's own (3, RGB, except a baseline CNN built for other input).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputSize"/> or <paramref name="inputChannels"/> is below 1.</exception>
    public static NetworkSummary Of(ConvNet network, int inputSize, int? inputChannels = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        int channels = inputChannels ?? (network is BaselineCnn baseline ? baseline.Options.InChannels : 3);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1, nameof(inputChannels));
        var modes = network.NamedModules().Select(kv => (Module: kv.Value, kv.Value.IsTraining)).ToArray();
        var rows = new List<NetworkSummaryRow>(network.Units.Count + 1);
        var inputShape = new Shape(1, channels, inputSize, inputSize);
        network.Eval();
        try
        {
            using var noGrad = GradMode.NoGrad();
            using var input = Tensor.Zeros(inputShape);
            var current = input;
            for (int u = 0; u < network.Units.Count; u++)
            {
                var next = network.ForwardUnits(current, u, u + 1);
                if (!ReferenceEquals(current, input)) current.Dispose();
                current = next;
                var modules = network.Units[u].Modules;
                rows.Add(new NetworkSummaryRow(network.Units[u].Name, current.Shape,
                    modules.Sum(m => m.ParameterCount()), modules.Sum(m => m.ParameterCount(trainableOnly: true))));
            }
            using (var logits = network.ApplyHead(current))
            {
                rows.Add(new NetworkSummaryRow(network.HeadName, logits.Shape, network.Head.ParameterCount(), network.Head.ParameterCount(trainableOnly: true)));
            }
            if (!ReferenceEquals(current, input)) current.Dispose();
        }
        finally
        {
            // Pre-order: a parent's recursive Train comes before its children's, so each module ends in its own earlier mode.
            foreach (var (module, training) in modes) module.Train(training);
        }
        return new NetworkSummary(inputShape, rows);
    }

    /// <summary>
    /// The table: <c>unit | output shape | parameters | trainable</c> per row, then the totals, e.g.
    /// <c>layer4   [1, 2048, 7, 7]   14,964,736   no</c>.
    /// </summary>
    public override string ToString()
    {
        string[] header = ["unit", "output shape", "parameters", "trainable"];
        var cells = Rows.Select(r => new[] { r.Name, r.OutputShape.ToString(), Count(r.Parameters), r.Trainable }).ToList();
        int[] widths = [.. Enumerable.Range(0, header.Length).Select(c => cells.Select(row => row[c].Length).Append(header[c].Length).Max())];
        var text = new StringBuilder();
        void Line(string[] row)
        {
            // Text columns align left, numbers right, so digits line up.
            var parts = row.Select((cell, c) => c == 2 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]));
            text.AppendLine(string.Join("   ", parts).TrimEnd());
        }
        Line(header);
        text.AppendLine(new string('-', widths.Sum() + 3 * (widths.Length - 1)));
        foreach (var row in cells) Line(row);
        text.AppendLine(new string('-', widths.Sum() + 3 * (widths.Length - 1)));
        text.AppendLine(CultureInfo.InvariantCulture, $"input {InputShape}; parameters {Count(TotalParameters)}: {Count(TrainableParameters)} trainable, {Count(TotalParameters - TrainableParameters)} frozen");
        return text.ToString();
    }

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
