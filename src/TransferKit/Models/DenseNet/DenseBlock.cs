using System.Globalization;
using TransferKit.Autograd;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// A dense block, torchvision's <c>_DenseBlock</c>: layers <c>denselayer1</c>..<c>denselayerL</c>, each fed the
/// concatenation of the block input and every earlier layer's output. Input [N, C, H, W]; output
/// [N, C + L x growth, H, W], the block input followed by each layer's features in order.
/// </summary>
public sealed class DenseBlock : Module
{
    private readonly DenseLayer[] _layers;

    /// <summary>Creates the block.</summary>
    /// <param name="layers">Number of dense layers.</param>
    /// <param name="inChannels">Channels of the block input.</param>
    /// <param name="growthRate">Channels each layer adds.</param>
    /// <param name="bottleneckSize">Bottleneck width multiplier of each layer.</param>
    /// <param name="random">Seeded source for the initial weights.</param>
    public DenseBlock(int layers, int inChannels, int growthRate, int bottleneckSize, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        _layers = new DenseLayer[layers];
        for (int i = 0; i < layers; i++)
        {
            string name = "denselayer" + (i + 1).ToString(CultureInfo.InvariantCulture);
            _layers[i] = AddModule(name, new DenseLayer(inChannels + i * growthRate, growthRate, bottleneckSize, random));
        }
        OutChannels = inChannels + layers * growthRate;
    }

    /// <summary>The dense layers in order.</summary>
    public IReadOnlyList<DenseLayer> Layers => _layers;

    /// <summary>Channels of the output.</summary>
    public int OutChannels { get; }

    /// <summary>
    /// Whether inference grows the block's features in one preallocated tensor; benchmarks and tests switch it off to
    /// compare.
    /// </summary>
    internal static bool GrowsInPlace { get; set; } = true;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (CanGrowInPlace(input)) return ForwardInPlace(input);
        // Growing the concatenation one layer at a time gives each layer exactly torchvision's input (cat of the block
        // input and all earlier outputs) and the same final tensor; each step copies the features so far once.
        Tensor joined = input;
        foreach (var layer in _layers)
        {
            var fresh = layer.Forward(joined);
            var next = Ops.Concat([joined, fresh]);
            if (!ReferenceEquals(joined, input)) ReleaseIntermediate(joined);
            ReleaseIntermediate(fresh);
            joined = next;
        }
        return joined;
    }

    /// <summary>
    /// Inference with nothing recording (no tape, no export trace) and every first batch norm in evaluation mode: the
    /// only case where the layers may read their input as a prefix of one growing tensor.
    /// </summary>
    private bool CanGrowInPlace(Tensor input) =>
        GrowsInPlace && input.Rank == 4 && !(Tape.Current is not null && GradMode.IsEnabled) && OpTrace.Current is null
        && _layers.All(layer => !layer.Norm1.IsTraining);

    /// <summary>
    /// The block with its output allocated once: the input is copied in, and each layer normalises the channels written
    /// so far straight from it and writes its new features after them. Concatenating one layer at a time copied the whole
    /// feature tensor per layer (about 650 MB per batch of 16 in DenseNet-121), and normalised it in a second pass.
    /// </summary>
    private Tensor ForwardInPlace(Tensor input)
    {
        var shape = input.Shape;
        var features = Tensor.Empty(shape[0], OutChannels, shape[2], shape[3]);
        Ops.CopyIntoChannels(input, features, 0);
        int channels = shape[1];
        foreach (var layer in _layers)
        {
            var fresh = layer.ForwardFromPrefix(features, channels);
            Ops.CopyIntoChannels(fresh, features, channels);
            channels += fresh.Shape[1];
            ReleaseIntermediate(fresh);
        }
        return features;
    }
}
