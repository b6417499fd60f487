using TransferKit.Kernels.Convolution;

namespace TransferKit.Tests.Kernels.Convolution;

/// <summary>Forces <see cref="Conv2dKernel.ForwardAlgorithm"/> until disposed, then restores the one before.</summary>
internal readonly struct ForcedConvAlgorithm : IDisposable
{
    private readonly Conv2dForwardAlgorithm _previous;

    /// <summary>Forces the algorithm named as <c>TRANSFERKIT_CONV</c> names it (auto, im2col, winograd, direct).</summary>
    public ForcedConvAlgorithm(string name)
        : this(Conv2dKernel.ParseAlgorithm(name))
    {
    }

    public ForcedConvAlgorithm(Conv2dForwardAlgorithm algorithm)
    {
        _previous = Conv2dKernel.ForwardAlgorithm;
        Conv2dKernel.ForwardAlgorithm = algorithm;
    }

    public void Dispose() => Conv2dKernel.ForwardAlgorithm = _previous;
}
