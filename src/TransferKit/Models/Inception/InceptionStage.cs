namespace TransferKit.Models.Inception;

/// <summary>Which Inception module a stage builds.</summary>
internal enum InceptionModuleKind
{
    /// <summary><see cref="InceptionA"/> (35x35).</summary>
    A,

    /// <summary><see cref="InceptionB"/> (35x35 to 17x17).</summary>
    B,

    /// <summary><see cref="InceptionC"/> (17x17).</summary>
    C,

    /// <summary><see cref="InceptionD"/> (17x17 to 8x8).</summary>
    D,

    /// <summary><see cref="InceptionE"/> (8x8).</summary>
    E,
}

/// <summary>
/// One row of Inception v3's module table (Szegedy et al. 2016, Table 1: 3 x Inception at 35x35, reduction,
/// 4 x Inception at 17x17 with factorised 7x7, reduction, 2 x Inception at 8x8), with torchvision's widths.
/// </summary>
/// <param name="Name">torchvision's attribute name, which is also the unit name (<c>Mixed_5b</c>).</param>
/// <param name="Kind">The module type.</param>
/// <param name="InChannels">Input channels.</param>
/// <param name="Width">pool_features for A, channels_7x7 for C, unused (0) otherwise.</param>
internal sealed record InceptionStage(string Name, InceptionModuleKind Kind, int InChannels, int Width = 0)
{
    /// <summary>The eleven mixed stages of Inception v3, in forward order.</summary>
    public static IReadOnlyList<InceptionStage> V3 { get; } =
    [
        new("Mixed_5b", InceptionModuleKind.A, 192, 32),
        new("Mixed_5c", InceptionModuleKind.A, 256, 64),
        new("Mixed_5d", InceptionModuleKind.A, 288, 64),
        new("Mixed_6a", InceptionModuleKind.B, 288),
        new("Mixed_6b", InceptionModuleKind.C, 768, 128),
        new("Mixed_6c", InceptionModuleKind.C, 768, 160),
        new("Mixed_6d", InceptionModuleKind.C, 768, 160),
        new("Mixed_6e", InceptionModuleKind.C, 768, 192),
        new("Mixed_7a", InceptionModuleKind.D, 768),
        new("Mixed_7b", InceptionModuleKind.E, 1280),
        new("Mixed_7c", InceptionModuleKind.E, 2048),
    ];

    /// <summary>Builds the stage's module.</summary>
    public InceptionBlock Build(Random random) => Kind switch
    {
        InceptionModuleKind.A => new InceptionA(InChannels, Width, random),
        InceptionModuleKind.B => new InceptionB(InChannels, random),
        InceptionModuleKind.C => new InceptionC(InChannels, Width, random),
        InceptionModuleKind.D => new InceptionD(InChannels, random),
        InceptionModuleKind.E => new InceptionE(InChannels, random),
        _ => throw new InvalidOperationException($"Unknown Inception module kind {Kind}."),
    };
}
