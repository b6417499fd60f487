using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Models;

/// <summary>
/// A CNN classifier as a chain of <see cref="Units"/> that turns [N, 3, H, W] images into a feature map
/// [N, <see cref="FeatureChannels"/>, h, w], followed by an architecture-specific head (pooling, and the module
/// registered as <see cref="HeadName"/>). Parameter keys equal torchvision's <c>state_dict</c> keys.
/// Transfer learning runs any range of units on its own (<see cref="ForwardUnits"/>), which is how a frozen prefix's
/// output is cached, and replaces the head (<see cref="ReplaceHead"/>).
/// </summary>
public abstract class ConvNet : Module
{
    /// <summary>The freezable units in forward order.</summary>
    public abstract IReadOnlyList<NetworkUnit> Units { get; }

    /// <summary>Channels of the final feature map: what the head receives after global pooling (2048 for ResNet-50).</summary>
    public abstract int FeatureChannels { get; }

    /// <summary>The registered name of the classifier head (<c>fc</c> or <c>classifier</c>); its keys start with this name and a dot.</summary>
    public abstract string HeadName { get; }

    /// <summary>The current head module.</summary>
    public Module Head => Children.First(kv => kv.Key == HeadName).Value;

    /// <summary>
    /// Conv/BN pairs where the BN directly follows the conv on every path, so the BN can be folded into the conv for
    /// inference (frozen or eval-mode parts).
    /// </summary>
    public abstract IEnumerable<(Conv2d Conv, BatchNorm2d Norm)> ConvBatchNormPairs();

    /// <summary>Runs units [<paramref name="fromUnit"/>, <paramref name="toUnitExclusive"/>) on <paramref name="input"/>.</summary>
    /// <param name="input">The input of unit <paramref name="fromUnit"/> (images when it is 0).</param>
    /// <param name="fromUnit">First unit to run.</param>
    /// <param name="toUnitExclusive">One past the last unit to run; <c>Units.Count</c> gives the final feature map.</param>
    /// <returns>The output of unit <paramref name="toUnitExclusive"/> - 1 (a view of the input when the range is empty).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range is outside the units.</exception>
    public Tensor ForwardUnits(Tensor input, int fromUnit, int toUnitExclusive)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (fromUnit < 0 || toUnitExclusive > Units.Count || fromUnit > toUnitExclusive)
            throw new ArgumentOutOfRangeException(nameof(fromUnit), $"Units [{fromUnit}, {toUnitExclusive}) are outside 0..{Units.Count}.");
        Tensor current = input;
        for (int u = fromUnit; u < toUnitExclusive; u++)
        {
            var modules = Units[u].Modules;
            for (int m = 0; m < modules.Count;)
            {
                int fused = Inference.ConvolutionPoolFusion.TryForward(modules, m, current, out var pooled);
                var next = pooled ?? modules[m].Forward(current);
                m += Math.Max(fused, 1);
                if (!ReferenceEquals(current, input)) ReleaseIntermediate(current);
                current = next;
            }
        }
        return ReferenceEquals(current, input) ? Autograd.Ops.Reshape(input, input.Shape) : current;
    }

    /// <summary>
    /// Runs the architecture's own head on the final feature map: its pooling, then the head module. Returns logits.
    /// <see cref="Forward"/> bypasses it when the head is an <see cref="IFeatureMapHead"/>, which pools by itself.
    /// </summary>
    public abstract Tensor ForwardHead(Tensor features);

    /// <summary>Flattens pooled features [N, C, 1, 1] to [N, C] and runs the head on them; frees both intermediates.</summary>
    protected Tensor HeadOfPooled(Tensor pooled)
    {
        var flat = Autograd.Ops.Flatten(pooled);
        ReleaseIntermediate(pooled);
        return HeadOfFlat(flat);
    }

    /// <summary>Runs the head on flat features [N, C] and frees them.</summary>
    protected Tensor HeadOfFlat(Tensor flat)
    {
        var logits = Head.Forward(flat);
        ReleaseIntermediate(flat);
        return logits;
    }

    /// <summary>Runs every unit, then the head.</summary>
    public override Tensor Forward(Tensor input)
    {
        var features = ForwardUnits(input, 0, Units.Count);
        var logits = ApplyHead(features);
        ReleaseIntermediate(features);
        return logits;
    }

    /// <summary>Maps the final feature map to logits with whichever head is installed.</summary>
    public Tensor ApplyHead(Tensor features) => Head is IFeatureMapHead own ? own.Forward(features) : ForwardHead(features);

    /// <summary>Replaces the head module (registered as <see cref="HeadName"/>); the old head is disposed.</summary>
    public void ReplaceHead(Module head) => ReplaceModule(HeadName, head).Dispose();

    /// <summary>Index of the unit called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No unit has that name; the message lists the names.</exception>
    public int UnitIndex(string name)
    {
        for (int i = 0; i < Units.Count; i++) if (Units[i].Name == name) return i;
        throw new ArgumentException($"No unit named '{name}'. Units: {string.Join(", ", Units.Select(u => u.Name))}.", nameof(name));
    }
}
