using TransferKit.Autograd;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// The head a <see cref="HeadSpec"/> describes, built for a known feature-map shape. It pools (or flattens) the feature
/// map itself, then runs its layers, numbered like a torchvision <c>Sequential</c> (<c>fc.0.weight</c> ...): for each hidden
/// block an optional BatchNorm1d, a Linear, the activation and an optional Dropout; then optional Dropout and the output Linear.
/// </summary>
public sealed class ClassifierHead : Module, IFeatureMapHead
{
    private readonly List<Module> _layers = new();

    /// <summary>Builds the head.</summary>
    /// <param name="spec">The head description.</param>
    /// <param name="channels">Channels C of the feature map.</param>
    /// <param name="height">Height h of the feature map (used by <see cref="HeadPooling.Flatten"/>).</param>
    /// <param name="width">Width w of the feature map.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="random">Seeded source for the initial weights.</param>
    /// <param name="dropoutSeed">Seed of the dropout masks.</param>
    /// <exception cref="ArgumentException">The spec is invalid for <paramref name="classes"/>.</exception>
    public ClassifierHead(HeadSpec spec, int channels, int height, int width, int classes, Random random, ulong dropoutSeed = 0)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate(classes);
        Spec = spec;
        Classes = classes;
        int features = spec.Pooling switch
        {
            HeadPooling.Concat => 2 * channels,
            HeadPooling.Flatten => checked(channels * height * width),
            _ => channels,
        };
        InputFeatures = features;
        ulong seed = dropoutSeed;
        foreach (var h in spec.HiddenLayers)
        {
            if (h.BatchNorm) Add(new BatchNorm1d(features));
            Add(new Linear(features, h.Units, random));
            Add(new Activation(h.Activation));
            if (h.Dropout > 0) Add(new Dropout(h.Dropout, seed++));
            features = h.Units;
        }
        if (spec.OutputDropout > 0) Add(new Dropout(spec.OutputDropout, seed));
        Add(new Linear(features, spec.OutputUnits(classes), random));
    }

    /// <summary>The description it was built from.</summary>
    public HeadSpec Spec { get; }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>Features after pooling or flattening: the first layer's input size.</summary>
    public int InputFeatures { get; }

    /// <summary>The dropout layers, so a trainer can reseed them.</summary>
    public IEnumerable<Dropout> DropoutLayers => _layers.OfType<Dropout>();

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4) throw new ShapeMismatchException($"ClassifierHead: expected a feature map [N, C, h, w], got {input.Shape}.");
        var current = Pool(input);
        foreach (var layer in _layers)
        {
            var next = layer.Forward(current);
            ReleaseIntermediate(current);
            current = next;
        }
        return current;
    }

    private Tensor Pool(Tensor map)
    {
        switch (Spec.Pooling)
        {
            case HeadPooling.Flatten:
                return Ops.Flatten(map);
            case HeadPooling.Max:
                return Flat(Ops.AdaptiveMaxPool2d(map));
            case HeadPooling.Concat:
                var max = Ops.AdaptiveMaxPool2d(map);
                var avg = Ops.AdaptiveAvgPool2d(map);
                var both = Ops.Concat([max, avg]);
                ReleaseIntermediate(max);
                ReleaseIntermediate(avg);
                return Flat(both);
            default:
                return Flat(Ops.AdaptiveAvgPool2d(map));
        }
    }

    private static Tensor Flat(Tensor pooled)
    {
        var flat = Ops.Flatten(pooled);
        ReleaseIntermediate(pooled);
        return flat;
    }

    private void Add(Module layer)
    {
        AddModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);
        _layers.Add(layer);
    }
}
