using TransferKit.Tensors;

namespace TransferKit.Nn;

/// <summary>
/// A learnable tensor of a module. <see cref="Trainable"/> decides whether gradients reach it and whether
/// optimizers touch it (a frozen parameter is never changed, not even by weight decay).
/// </summary>
public sealed class Parameter
{
    /// <summary>Wraps <paramref name="value"/>, which the parameter now owns (it is removed from any <see cref="TensorScope"/>).</summary>
    public Parameter(Tensor value, bool trainable = true)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value.Persist();
        Trainable = trainable;
    }

    /// <summary>The current values.</summary>
    public Tensor Value { get; }

    /// <summary>The accumulated gradient after a backward pass, or null; same shape as <see cref="Value"/>.</summary>
    public Tensor? Grad => Value.Grad;

    /// <summary>Whether the parameter is trained. Setting false also drops its gradient.</summary>
    public bool Trainable
    {
        get => Value.RequiresGrad;
        set
        {
            Value.RequiresGrad = value;
            if (!value) ClearGrad();
        }
    }

    /// <summary>Sets the accumulated gradient to zero (keeping its buffer for reuse).</summary>
    public void ZeroGrad() => Value.Grad?.Span.Clear();

    /// <summary>Releases the gradient buffer.</summary>
    public void ClearGrad()
    {
        Value.Grad?.Dispose();
        Value.Grad = null;
    }

    /// <summary>Formats as <c>Parameter[64, 3, 7, 7]</c>.</summary>
    public override string ToString() => $"Parameter{Value.Shape}{(Trainable ? "" : " (frozen)")}";
}
