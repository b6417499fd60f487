namespace TransferKit.Weights;

/// <summary>How <see cref="WeightsLoader"/> matches a weights file with a model.</summary>
public sealed class WeightsLoadOptions
{
    /// <summary>
    /// When true (the default) every model key must be in the file and every file key in the model; when false, keys on
    /// one side only are reported in <see cref="WeightsLoadReport"/> instead. Shapes must match in both modes.
    /// </summary>
    public bool Strict { get; init; } = true;

    /// <summary>Renames the file's keys to torchvision's before matching. Default null: the descriptor's map, or <see cref="KeyMap.Identity"/>.</summary>
    public KeyMap? KeyMap { get; init; }

    /// <summary>What to do with the classifier head. Default <see cref="HeadLoading.Load"/>.</summary>
    public HeadLoading Head { get; init; } = HeadLoading.Load;

    /// <summary>
    /// The head's key prefix, e.g. <c>fc.</c> or <c>classifier.</c> (a missing final dot is added). Default null: the
    /// model's <see cref="Models.ConvNet.HeadName"/> when it is a ConvNet. Needed only when <see cref="Head"/> is not
    /// <see cref="HeadLoading.Load"/>.
    /// </summary>
    public string? HeadPrefix { get; init; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Head))
            throw new ArgumentException($"WeightsLoadOptions.Head has the undefined value {(int)Head}.", nameof(Head));
        if (HeadPrefix is not null && (HeadPrefix.Length == 0 || HeadPrefix == "." || HeadPrefix[0] == '.'))
            throw new ArgumentException($"WeightsLoadOptions.HeadPrefix '{HeadPrefix}' must be a module path such as 'fc.' or 'classifier.'.", nameof(HeadPrefix));
    }
}
