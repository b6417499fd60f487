namespace TransferKit.Kernels.Gemm;

/// <summary>
/// A region of code, on one thread, in which <see cref="GemmEngine"/>'s products run on bfloat16 operands
/// (<see cref="BFloat16Gemm"/>) where the kernel is available and the product is large enough; everything else stays
/// fp32. Every GEMM of a convolution or linear layer is called from the thread that runs the layer, so a scope around
/// a forward pass covers all of them. Scopes nest.
/// </summary>
internal static class BFloat16Scope
{
    [ThreadStatic] private static int t_depth;

    /// <summary>Whether a scope is open on this thread.</summary>
    public static bool IsActive => t_depth > 0;

    /// <summary>Opens a scope when <paramref name="enabled"/> (and does nothing otherwise); dispose to close it.</summary>
    public static Region Enter(bool enabled)
    {
        if (enabled) t_depth++;
        return new Region(enabled);
    }

    /// <summary>An open scope; closing it twice is harmless.</summary>
    public struct Region(bool entered) : IDisposable
    {
        private bool _entered = entered;

        public void Dispose()
        {
            if (!_entered) return;
            _entered = false;
            t_depth--;
        }
    }
}
