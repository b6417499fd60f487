namespace TransferKit.Kernels.Convolution;

/// <summary>
/// The shape of one 2-D convolution with PyTorch's <c>nn.Conv2d</c> semantics on NCHW tensors:
/// input [Batch, InChannels, InHeight, InWidth], weight [OutChannels, InChannels / Groups, KernelHeight, KernelWidth],
/// bias [OutChannels], output [Batch, OutChannels, OutHeight, OutWidth]. Padding is zero padding on both sides.
/// </summary>
/// <param name="Batch">Images in the batch (N).</param>
/// <param name="InChannels">Input channels (C_in).</param>
/// <param name="InHeight">Input height in pixels.</param>
/// <param name="InWidth">Input width in pixels.</param>
/// <param name="OutChannels">Output channels (C_out).</param>
/// <param name="KernelHeight">Kernel height in taps.</param>
/// <param name="KernelWidth">Kernel width in taps.</param>
/// <param name="StrideHeight">Vertical stride in input pixels.</param>
/// <param name="StrideWidth">Horizontal stride in input pixels.</param>
/// <param name="PadHeight">Zero rows added above and below.</param>
/// <param name="PadWidth">Zero columns added left and right.</param>
/// <param name="DilationHeight">Vertical spacing between kernel taps (1 = dense).</param>
/// <param name="DilationWidth">Horizontal spacing between kernel taps (1 = dense).</param>
/// <param name="Groups">Channel groups; InChannels and OutChannels must both be multiples. Groups == InChannels is depthwise.</param>
public readonly record struct Conv2dGeometry(
    int Batch, int InChannels, int InHeight, int InWidth,
    int OutChannels, int KernelHeight, int KernelWidth,
    int StrideHeight = 1, int StrideWidth = 1, int PadHeight = 0, int PadWidth = 0,
    int DilationHeight = 1, int DilationWidth = 1, int Groups = 1)
{
    /// <summary>Output height: (InHeight + 2*PadHeight - DilationHeight*(KernelHeight-1) - 1) / StrideHeight + 1.</summary>
    public int OutHeight => (InHeight + 2 * PadHeight - DilationHeight * (KernelHeight - 1) - 1) / StrideHeight + 1;

    /// <summary>Output width: (InWidth + 2*PadWidth - DilationWidth*(KernelWidth-1) - 1) / StrideWidth + 1.</summary>
    public int OutWidth => (InWidth + 2 * PadWidth - DilationWidth * (KernelWidth - 1) - 1) / StrideWidth + 1;

    /// <summary>Input channels seen by one output channel: InChannels / Groups.</summary>
    public int InChannelsPerGroup => InChannels / Groups;

    /// <summary>Output channels in one group: OutChannels / Groups.</summary>
    public int OutChannelsPerGroup => OutChannels / Groups;

    /// <summary>Elements of the input tensor: Batch * InChannels * InHeight * InWidth.</summary>
    public int InputLength => Batch * InChannels * InHeight * InWidth;

    /// <summary>Elements of the output tensor: Batch * OutChannels * OutHeight * OutWidth.</summary>
    public int OutputLength => Batch * OutChannels * OutHeight * OutWidth;

    /// <summary>Elements of the weight tensor: OutChannels * InChannels / Groups * KernelHeight * KernelWidth.</summary>
    public int WeightLength => OutChannels * InChannelsPerGroup * KernelHeight * KernelWidth;

    /// <summary>Floating-point operations of the forward pass, counting a multiply-add as two (bias excluded).</summary>
    public long Flops => 2L * Batch * OutChannels * OutHeight * OutWidth * InChannelsPerGroup * KernelHeight * KernelWidth;

    /// <summary>Checks that the geometry describes a legal convolution whose tensors fit in <see cref="int"/> indexing.</summary>
    /// <exception cref="ArgumentException">A size is not positive, padding is negative, Groups does not divide the
    /// channel counts, the dilated kernel is larger than the padded input, or a tensor is too large. The message names the field.</exception>
    public void Validate()
    {
        RequirePositive(Batch, nameof(Batch));
        RequirePositive(InChannels, nameof(InChannels));
        RequirePositive(InHeight, nameof(InHeight));
        RequirePositive(InWidth, nameof(InWidth));
        RequirePositive(OutChannels, nameof(OutChannels));
        RequirePositive(KernelHeight, nameof(KernelHeight));
        RequirePositive(KernelWidth, nameof(KernelWidth));
        RequirePositive(StrideHeight, nameof(StrideHeight));
        RequirePositive(StrideWidth, nameof(StrideWidth));
        RequirePositive(DilationHeight, nameof(DilationHeight));
        RequirePositive(DilationWidth, nameof(DilationWidth));
        RequirePositive(Groups, nameof(Groups));
        if (PadHeight < 0) throw new ArgumentException($"PadHeight ({PadHeight}) must not be negative.", nameof(PadHeight));
        if (PadWidth < 0) throw new ArgumentException($"PadWidth ({PadWidth}) must not be negative.", nameof(PadWidth));
        if (InChannels % Groups != 0)
            throw new ArgumentException($"Groups ({Groups}) must divide InChannels ({InChannels}).", nameof(Groups));
        if (OutChannels % Groups != 0)
            throw new ArgumentException($"Groups ({Groups}) must divide OutChannels ({OutChannels}).", nameof(Groups));

        // Checked in long so that absurd sizes report the field instead of wrapping into a plausible output size.
        long extentH = (long)DilationHeight * (KernelHeight - 1) + 1, paddedH = InHeight + 2L * PadHeight;
        if (extentH > paddedH)
            throw new ArgumentException($"KernelHeight ({KernelHeight}) with DilationHeight ({DilationHeight}) spans {extentH} rows, more than InHeight ({InHeight}) + 2 * PadHeight ({PadHeight}) = {paddedH}; OutHeight would be < 1.", nameof(KernelHeight));
        long extentW = (long)DilationWidth * (KernelWidth - 1) + 1, paddedW = InWidth + 2L * PadWidth;
        if (extentW > paddedW)
            throw new ArgumentException($"KernelWidth ({KernelWidth}) with DilationWidth ({DilationWidth}) spans {extentW} columns, more than InWidth ({InWidth}) + 2 * PadWidth ({PadWidth}) = {paddedW}; OutWidth would be < 1.", nameof(KernelWidth));

        RequireFits((long)Batch * InChannels * InHeight * InWidth, "input", nameof(InputLength));
        RequireFits((long)Batch * OutChannels * ((paddedH - extentH) / StrideHeight + 1) * ((paddedW - extentW) / StrideWidth + 1), "output", nameof(OutputLength));
        RequireFits((long)OutChannels * (InChannels / Groups) * KernelHeight * KernelWidth, "weight", nameof(WeightLength));
    }

    private static void RequirePositive(int value, string name)
    {
        if (value < 1) throw new ArgumentException($"{name} ({value}) must be positive.", name);
    }

    private static void RequireFits(long length, string tensor, string name)
    {
        if (length > int.MaxValue)
            throw new ArgumentException($"The {tensor} tensor would have {length} elements, more than {int.MaxValue}.", name);
    }
}
