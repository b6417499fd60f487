namespace TransferKit.Training.Callbacks;

/// <summary>
/// A training loss became NaN or infinite: training diverged (learning rate too high, bad inputs or labels) and
/// further steps would only spread NaN through the weights.
/// </summary>
public sealed class NonFiniteLossException : TransferKitException
{
    /// <summary>Creates the error for <paramref name="loss"/> at <paramref name="epoch"/> and <paramref name="batch"/> (both zero-based).</summary>
    public NonFiniteLossException(double loss, int epoch, int batch)
        : base($"The loss is {loss} at epoch {epoch + 1}, batch {batch + 1} (1-based): training diverged. " +
               "Try a lower learning rate, and check the inputs and labels.")
    {
        Loss = loss;
        Epoch = epoch + 1;
        Batch = batch;
    }

    /// <summary>The non-finite loss (NaN or ±infinity).</summary>
    public double Loss { get; }

    /// <summary>The epoch of the batch, counted from 1 as <see cref="EpochResult.Epoch"/> is (the constructor takes it zero-based).</summary>
    public int Epoch { get; }

    /// <summary>Zero-based batch within the epoch.</summary>
    public int Batch { get; }
}
