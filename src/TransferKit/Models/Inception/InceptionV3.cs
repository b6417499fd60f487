using TransferKit.Autograd;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models.Inception;

/// <summary>
/// Inception v3 (Szegedy et al. 2016, "Rethinking the Inception Architecture for Computer Vision", Table 1) as
/// torchvision 0.14's <c>Inception3</c> with <c>transform_input=False</c>: the same modules and <c>state_dict</c> keys
/// (<c>Conv2d_1a_3x3.conv.weight</c>, <c>Mixed_6b.branch7x7_2.bn.running_mean</c>, <c>fc.weight</c>), the auxiliary
/// classifier <c>AuxLogits</c> only when <see cref="InceptionV3Options.AuxLogits"/> asks for it.
/// Input [N, 3, H, W] with H, W at least 75 (299 for the reference weights; the auxiliary classifier needs 299);
/// features [N, 2048, h, w] (8x8 at 299); logits [N, classes].
/// Units: <c>stem</c> (Conv2d_1a_3x3, Conv2d_2a_3x3, Conv2d_2b_3x3, maxpool1, Conv2d_3b_1x1, Conv2d_4a_3x3, maxpool2),
/// then one unit per mixed module, <c>Mixed_5b</c> to <c>Mixed_7c</c>. The head is <c>fc</c> after global average
/// pooling and dropout.
/// </summary>
/// <remarks>
/// torchvision's <c>transform_input=True</c>, which it sets with the pre-trained weights, re-normalises ImageNet-normalised
/// input to (x - 0.5) / 0.5. Here that step belongs to the preprocessing instead: the catalog gives these weights
/// <see cref="NormalizationSpec.MinusOneToOne"/>, which produces the same network input.
/// </remarks>
public sealed class InceptionV3 : ConvNet
{
    /// <summary>Channels of the final feature map.</summary>
    public const int FeatureChannelCount = 2048;

    /// <summary>The unit whose output feeds the auxiliary classifier.</summary>
    public const string AuxiliaryInputStage = "Mixed_6e";

    private readonly NetworkUnit[] _units;

    /// <summary>Builds the network with torchvision's initialisation (truncated normal, std 0.1, for conv and fc weights).</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public InceptionV3(InceptionV3Options? options = null)
    {
        Options = options ?? new InceptionV3Options();
        Options.Validate();
        var random = new Random(Options.Seed);

        var stem = new List<Module>
        {
            AddModule("Conv2d_1a_3x3", new BasicConv2d(3, 32, 3, random, stride: 2)),
            AddModule("Conv2d_2a_3x3", new BasicConv2d(32, 32, 3, random)),
            AddModule("Conv2d_2b_3x3", new BasicConv2d(32, 64, 3, random, padding: 1)),
            AddModule("maxpool1", new MaxPool2d(3, 2)),
            AddModule("Conv2d_3b_1x1", new BasicConv2d(64, 80, 1, random)),
            AddModule("Conv2d_4a_3x3", new BasicConv2d(80, 192, 3, random)),
            AddModule("maxpool2", new MaxPool2d(3, 2)),
        };
        var units = new List<NetworkUnit> { new("stem", stem) };
        foreach (var stage in InceptionStage.V3)
        {
            units.Add(new NetworkUnit(stage.Name, [AddModule(stage.Name, stage.Build(random))]));
            // torchvision registers AuxLogits right after Mixed_6e, which fixes its place in the state_dict.
            if (stage.Name == AuxiliaryInputStage && Options.AuxLogits)
                AuxLogits = AddModule("AuxLogits", new InceptionAux(768, Options.Classes, random));
        }
        _units = [.. units];

        Pool = AddModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        Dropout = AddModule("dropout", new Dropout(Options.Dropout, (ulong)Options.Seed));
        AddModule("fc", new Linear(FeatureChannelCount, Options.Classes, random));
        InitialiseLikeTorchvision(random);
    }

    /// <summary>The options it was built from.</summary>
    public InceptionV3Options Options { get; }

    /// <summary>The auxiliary classifier (<c>AuxLogits</c>), or null when not built.</summary>
    public InceptionAux? AuxLogits { get; }

    /// <summary>Global average pooling before the head.</summary>
    public AdaptiveAvgPool2d Pool { get; }

    /// <summary>Dropout before the head (active in training mode only).</summary>
    public Dropout Dropout { get; }

    /// <inheritdoc />
    public override IReadOnlyList<NetworkUnit> Units => _units;

    /// <inheritdoc />
    public override int FeatureChannels => FeatureChannelCount;

    /// <inheritdoc />
    public override string HeadName => "fc";

    /// <summary>Every (conv, bn) pair of every <see cref="BasicConv2d"/>, the auxiliary classifier's included.</summary>
    public override IEnumerable<(Conv2d Conv, BatchNorm2d Norm)> ConvBatchNormPairs() =>
        NamedModules().Select(kv => kv.Value).OfType<BasicConv2d>().Select(b => (b.Conv, b.Bn));

    /// <summary>Global average pooling, dropout, flatten, <c>fc</c>: [N, 2048, h, w] to [N, classes].</summary>
    public override Tensor ForwardHead(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var pooled = Pool.Forward(features);
        var dropped = Dropout.Forward(pooled);
        ReleaseIntermediate(pooled);
        return HeadOfPooled(dropped);
    }

    /// <summary>
    /// Runs the network and, in training mode with <see cref="AuxLogits"/> built, the auxiliary classifier on Mixed_6e's
    /// output, as torchvision's training-mode forward does. <see cref="ConvNet.Forward"/> returns the main logits only.
    /// </summary>
    /// <returns>Logits [N, classes], and auxiliary logits [N, classes] or null (evaluation mode, or no auxiliary classifier).</returns>
    public (Tensor Logits, Tensor? Auxiliary) ForwardWithAuxiliary(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int split = UnitIndex(AuxiliaryInputStage) + 1;
        var middle = ForwardUnits(input, 0, split);
        var auxiliary = AuxLogits is not null && IsTraining ? AuxLogits.Forward(middle) : null;
        var features = ForwardUnits(middle, split, Units.Count);
        ReleaseIntermediate(middle);
        var logits = ForwardHead(features);
        ReleaseIntermediate(features);
        return (logits, auxiliary);
    }

    /// <summary>
    /// torchvision's <c>init_weights</c>: conv and Linear weights from a normal truncated to [-2, 2] with std 0.1
    /// (0.01 for the auxiliary 5x5 conv, 0.001 for the auxiliary fc); BN weight 1 and bias 0; Linear biases keep PyTorch's default.
    /// </summary>
    private void InitialiseLikeTorchvision(Random random)
    {
        foreach (var (name, module) in NamedModules())
        {
            var weight = module switch
            {
                Conv2d conv => conv.Weight.Value,
                Linear linear => linear.Weight.Value,
                _ => null,
            };
            if (weight is null) continue;
            double std = name switch
            {
                "AuxLogits.conv1.conv" => 0.01,
                "AuxLogits.fc" => 0.001,
                _ => 0.1,
            };
            TruncatedNormal(weight, std, random);
        }
    }

    private static void TruncatedNormal(Tensor tensor, double std, Random random)
    {
        var span = tensor.Span;
        int i = 0;
        while (i < span.Length)
        {
            // Box-Muller gives two independent normals per draw; values outside [-2, 2] are redrawn.
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            double radius = std * Math.Sqrt(-2.0 * Math.Log(u1));
            (double sin, double cos) = Math.SinCos(2 * Math.PI * u2);
            foreach (double value in (ReadOnlySpan<double>)[radius * cos, radius * sin])
                if (value is >= -2 and <= 2 && i < span.Length) span[i++] = (float)value;
        }
    }
}
