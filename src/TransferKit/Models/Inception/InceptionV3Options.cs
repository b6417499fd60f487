namespace TransferKit.Models.Inception;

/// <summary>Options of <see cref="InceptionV3"/>, with torchvision's defaults except where noted.</summary>
public sealed class InceptionV3Options
{
    /// <summary>Number of classes of <c>fc</c> (and of the auxiliary classifier). Default 1000.</summary>
    public int Classes { get; init; } = 1000;

    /// <summary>
    /// Whether to build the auxiliary classifier <c>AuxLogits</c> after Mixed_6e. Default false (torchvision's
    /// <c>Inception3</c> defaults to true; its pre-trained checkpoint holds the auxiliary weights, which a non-strict load skips).
    /// </summary>
    public bool AuxLogits { get; init; }

    /// <summary>Dropout probability before <c>fc</c>. Default 0.5.</summary>
    public float Dropout { get; init; } = 0.5f;

    /// <summary>Seed of the weight initialisation and of the dropout masks. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        if (Classes < 1) throw new ArgumentException($"InceptionV3Options.Classes must be positive, got {Classes}.", nameof(Classes));
        if (Dropout is < 0f or >= 1f || float.IsNaN(Dropout))
            throw new ArgumentException($"InceptionV3Options.Dropout must be in [0, 1), got {Dropout}.", nameof(Dropout));
    }
}
