namespace TransferKit.Autograd;

/// <summary>
/// Whether ops record onto the active <see cref="Tape"/>. Inside <see cref="NoGrad"/> nothing is recorded,
/// so a frozen prefix or an evaluation pass keeps no activations for backward.
/// </summary>
public static class GradMode
{
    [ThreadStatic] private static int t_disabledDepth;

    /// <summary>True unless a <see cref="NoGrad"/> scope is open on this thread.</summary>
    public static bool IsEnabled => t_disabledDepth == 0;

    /// <summary>Suspends recording on this thread until the returned scope is disposed. Nests.</summary>
    public static NoGradScope NoGrad()
    {
        t_disabledDepth++;
        return new NoGradScope();
    }

    /// <summary>Restores recording when disposed.</summary>
    public readonly struct NoGradScope : IDisposable
    {
        /// <summary>Closes the scope.</summary>
        public void Dispose() => t_disabledDepth--;
    }
}
