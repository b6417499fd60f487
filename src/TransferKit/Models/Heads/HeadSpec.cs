using TransferKit.Kernels.Activations;

namespace TransferKit.Models;

/// <summary>
/// A classifier head as data: pooling, hidden blocks, an optional BatchNorm and Dropout before the output layer, and the
/// output (softmax over classes or one sigmoid). Build one fluently:
/// <code>HeadSpec.Pooled().Hidden(256, 128, 64).BatchNorm().Dropout(0.5f)</code> gives three [BN, Linear, ReLU, Dropout 0.5] blocks.
/// The seed heads: <c>HeadSpec.Pooled().WithOutput(HeadOutput.Sigmoid)</c> (GAP, Dense(1, sigmoid)) and
/// <c>HeadSpec.Flattened().Hidden(256, 128, 64).BatchNorm().Dropout(0.5f)</c> with 10 softmax classes.
/// </summary>
public sealed record HeadSpec
{
    /// <summary>How the feature map becomes a vector. Default: average pooling.</summary>
    public HeadPooling Pooling { get; init; } = HeadPooling.Average;

    /// <summary>Hidden blocks in order. Default: none (pooling straight to the output layer).</summary>
    public IReadOnlyList<HiddenLayerSpec> HiddenLayers { get; init; } = [];

    /// <summary>Dropout probability just before the output layer (torchvision's classifiers use 0.2 for MobileNet). Default 0.</summary>
    public float OutputDropout { get; init; }

    /// <summary>Softmax over the classes, or one sigmoid unit (two classes only). Default: softmax.</summary>
    public HeadOutput Output { get; init; } = HeadOutput.Softmax;

    /// <summary>A head that averages the feature map (then any hidden blocks, then the output).</summary>
    public static HeadSpec Pooled(HeadPooling pooling = HeadPooling.Average) => new() { Pooling = pooling };

    /// <summary>A head that flattens the whole feature map.</summary>
    public static HeadSpec Flattened() => new() { Pooling = HeadPooling.Flatten };

    /// <summary>Sets hidden blocks of the given widths with ReLU, keeping any BatchNorm/Dropout already chosen on existing blocks.</summary>
    public HeadSpec Hidden(params int[] units) =>
        this with { HiddenLayers = units.Select(u => new HiddenLayerSpec(u)).ToArray() };

    /// <summary>Puts a BatchNorm before the Linear layer of every hidden block.</summary>
    public HeadSpec BatchNorm() => this with { HiddenLayers = HiddenLayers.Select(h => h with { BatchNorm = true }).ToArray() };

    /// <summary>Puts Dropout with probability <paramref name="p"/> after every hidden block (or before the output when there are none).</summary>
    public HeadSpec Dropout(float p) => HiddenLayers.Count == 0
        ? this with { OutputDropout = p }
        : this with { HiddenLayers = HiddenLayers.Select(h => h with { Dropout = p }).ToArray() };

    /// <summary>Uses <paramref name="activation"/> in every hidden block.</summary>
    public HeadSpec Activation(ActivationKind activation) =>
        this with { HiddenLayers = HiddenLayers.Select(h => h with { Activation = activation }).ToArray() };

    /// <summary>Chooses the output layer.</summary>
    public HeadSpec WithOutput(HeadOutput output) => this with { Output = output };

    /// <summary>Number of output logits for <paramref name="classes"/> classes: 1 for a sigmoid head, else the class count.</summary>
    public int OutputUnits(int classes) => Output == HeadOutput.Sigmoid ? 1 : classes;

    /// <summary>Checks the spec for a task with <paramref name="classes"/> classes.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public void Validate(int classes)
    {
        if (classes < 2) throw new ArgumentException($"A classifier needs at least 2 classes, got {classes}.", nameof(classes));
        if (Output == HeadOutput.Sigmoid && classes != 2)
            throw new ArgumentException($"HeadSpec.Output = Sigmoid needs exactly 2 classes, got {classes}; use Softmax.", nameof(Output));
        if (OutputDropout is < 0 or >= 1) throw new ArgumentException($"HeadSpec.OutputDropout must be in [0, 1), got {OutputDropout}.", nameof(OutputDropout));
        for (int i = 0; i < HiddenLayers.Count; i++)
        {
            var h = HiddenLayers[i];
            if (h.Units < 1) throw new ArgumentException($"HeadSpec.HiddenLayers[{i}].Units must be positive, got {h.Units}.", nameof(HiddenLayers));
            if (h.Dropout is < 0 or >= 1) throw new ArgumentException($"HeadSpec.HiddenLayers[{i}].Dropout must be in [0, 1), got {h.Dropout}.", nameof(HiddenLayers));
        }
    }

    /// <summary>Describes the head, e.g. <c>avg → [BN, 256, ReLU, Dropout 0.5] → softmax(10)</c>.</summary>
    public string Describe(int classes)
    {
        var parts = new List<string> { Pooling.ToString().ToLowerInvariant() };
        foreach (var h in HiddenLayers)
            parts.Add("[" + string.Join(", ", new[] { h.BatchNorm ? "BN" : null, $"Linear {h.Units}", h.Activation.ToString(), h.Dropout > 0 ? $"Dropout {h.Dropout}" : null }.Where(s => s is not null)) + "]");
        if (OutputDropout > 0) parts.Add($"Dropout {OutputDropout}");
        parts.Add(Output == HeadOutput.Sigmoid ? "sigmoid(1)" : $"softmax({classes})");
        return string.Join(" → ", parts);
    }
}
