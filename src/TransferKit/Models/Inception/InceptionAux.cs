using TransferKit.Autograd;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models.Inception;

/// <summary>
/// The auxiliary classifier on the 17x17 grid (torchvision's <c>InceptionAux</c>; Szegedy et al. 2016, Section 4 and
/// Figure 8): 5x5 stride 3 average pool, 1x1 (128), 5x5 (768), global average pool, flatten, Linear (<c>fc</c>).
/// Input [N, in, 17, 17] (at least 17x17); output logits [N, classes].
/// </summary>
public sealed class InceptionAux : Module
{
    /// <summary>Creates the classifier.</summary>
    /// <param name="inChannels">Input channels (768 after Mixed_6e).</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="random">Seeded source for the initial weights.</param>
    public InceptionAux(int inChannels, int classes, Random random)
    {
        Conv0 = AddModule("conv0", new BasicConv2d(inChannels, 128, 1, random));
        Conv1 = AddModule("conv1", new BasicConv2d(128, 768, 5, random));
        Fc = AddModule("fc", new Linear(768, classes, random));
    }

    /// <summary><c>conv0</c> (1x1, 128).</summary>
    public BasicConv2d Conv0 { get; }

    /// <summary><c>conv1</c> (5x5, 768).</summary>
    public BasicConv2d Conv1 { get; }

    /// <summary><c>fc</c> (768 to classes).</summary>
    public Linear Fc { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var pooled = Ops.AvgPool2d(input, Pool2dOptions.Square(5, 3));
        var reduced = Conv0.Forward(pooled);
        ReleaseIntermediate(pooled);
        var features = Conv1.Forward(reduced);
        ReleaseIntermediate(reduced);
        var global = Ops.AdaptiveAvgPool2d(features, 1, 1);
        ReleaseIntermediate(features);
        var flat = Ops.Flatten(global);
        ReleaseIntermediate(global);
        var logits = Fc.Forward(flat);
        ReleaseIntermediate(flat);
        return logits;
    }
}
