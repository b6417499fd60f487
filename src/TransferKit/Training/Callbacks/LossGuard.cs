namespace TransferKit.Training.Callbacks;

/// <summary>Stops training at the first non-finite loss, before the backward pass spreads it into the weights.</summary>
public static class LossGuard
{
    /// <summary>Returns normally when <paramref name="loss"/> is finite.</summary>
    /// <param name="loss">The batch's loss.</param>
    /// <param name="epoch">Zero-based epoch, for the message.</param>
    /// <param name="batch">Zero-based batch within the epoch, for the message.</param>
    /// <exception cref="NonFiniteLossException"><paramref name="loss"/> is NaN or infinite.</exception>
    public static void EnsureFinite(double loss, int epoch, int batch)
    {
        if (!double.IsFinite(loss)) throw new NonFiniteLossException(loss, epoch, batch);
    }
}
