namespace TransferKit.Kernels.Convolution;

/// <summary>Which algorithm <see cref="Conv2dKernel.Forward"/> uses for the ungrouped convolutions the direct kernel or Winograd can run.</summary>
internal enum Conv2dForwardAlgorithm
{
    /// <summary>
    /// The direct kernel where <see cref="Conv2dKernel.PrefersDirect"/> measured it faster, else Winograd where
    /// <see cref="Conv2dKernel.PrefersWinograd"/> did, im2col elsewhere (the default).
    /// </summary>
    Auto,

    /// <summary>Always im2col plus GEMM (<c>TRANSFERKIT_CONV=im2col</c>): the exact pre-Winograd, pre-direct path.</summary>
    Im2Col,

    /// <summary>Winograd F(2x2, 3x3) for every geometry it supports, however small (tests and benchmarks).</summary>
    Winograd,

    /// <summary>The direct kernel (<see cref="DirectConv2d"/>) for every geometry it supports (tests and benchmarks).</summary>
    Direct,

    /// <summary>Winograd F(4x4, 3x3) (<see cref="Winograd4x4Conv2d"/>) for every geometry it supports on this machine (tests and benchmarks).</summary>
    Winograd4x4,
}
