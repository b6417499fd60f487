using TransferKit.Tensors;

namespace TransferKit.Nn;

/// <summary>
/// Runs its children in order. Children are named "0", "1", ... as in PyTorch, so keys read
/// <c>features.0.1.weight</c>. When nothing is being recorded (inference, a frozen prefix), each intermediate
/// output is disposed as soon as the next child has consumed it, so inference memory stays at two activations.
/// </summary>
public sealed class Sequential : Module
{
    /// <summary>Creates the container from <paramref name="modules"/>.</summary>
    public Sequential(params Module[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var m in modules) Append(m);
    }

    /// <summary>Number of children.</summary>
    public int Count => Children.Count;

    /// <summary>The child at <paramref name="index"/>.</summary>
    public Module this[int index] => Children[index].Value;

    /// <summary>Adds <paramref name="module"/> at the end, named by its position.</summary>
    public Sequential Append(Module module)
    {
        AddModule(Children.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        return this;
    }

    /// <summary>Adds <paramref name="module"/> at the end under <paramref name="name"/> (DenseNet's <c>features.conv0</c>, <c>features.denseblock1</c>).</summary>
    public Sequential Append(string name, Module module)
    {
        AddModule(name, module);
        return this;
    }

    /// <summary>
    /// Children [<paramref name="start"/>, <paramref name="end"/>) one after the other on <paramref name="input"/>, each
    /// intermediate released once the next has read it; <paramref name="input"/> itself too where
    /// <paramref name="releasesInput"/>. With an empty range the input comes back as it is.
    /// </summary>
    internal Tensor ForwardRange(int start, int end, Tensor input, bool releasesInput)
    {
        ArgumentNullException.ThrowIfNull(input);
        var current = input;
        for (int i = start; i < end; i++)
        {
            var next = this[i].Forward(current);
            if (releasesInput || !ReferenceEquals(current, input)) ReleaseIntermediate(current);
            current = next;
        }
        return current;
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor current = input;
        var children = Children;
        for (int i = 0; i < children.Count; i++)
        {
            var child = children[i].Value;
            Tensor next;
            // A batch norm and the activation after it run as one layer, so ReLU can ride along in the norm's passes.
            if (child is BatchNorm norm && i + 1 < children.Count && children[i + 1].Value is Activation activation)
            {
                next = norm.ForwardActivated(current, activation.Kind);
                i++;
            }
            else
            {
                next = child.Forward(current);
            }
            if (!ReferenceEquals(current, input)) ReleaseIntermediate(current);
            current = next;
        }
        return ReferenceEquals(current, input) ? Autograd.Ops.Reshape(input, input.Shape) : current;
    }
}
