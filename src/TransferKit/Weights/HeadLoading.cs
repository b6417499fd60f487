namespace TransferKit.Weights;

/// <summary>What <see cref="WeightsLoader"/> does with the classifier head (the keys under <see cref="WeightsLoadOptions.HeadPrefix"/>).</summary>
public enum HeadLoading
{
    /// <summary>Load the head like every other layer; a different class count is a shape mismatch.</summary>
    Load,

    /// <summary>
    /// Load the head when the file's head tensors have exactly the model's head keys and shapes; otherwise (another
    /// class count, another head) leave the model's head as initialised and report the skipped tensors.
    /// </summary>
    SkipWhenShapesDiffer,

    /// <summary>Never load the head: the model keeps its own head, and the file's head tensors are reported as skipped.</summary>
    Skip,
}
