namespace TransferKit.Models;

/// <summary>The residual block a ResNet stage is built from (He et al. 2015, Table 1).</summary>
public enum ResNetBlockKind
{
    /// <summary>Two 3x3 convolutions, output channels = planes (ResNet-18 and -34). See <see cref="BasicBlock"/>.</summary>
    Basic,

    /// <summary>1x1 reduce, 3x3, 1x1 expand to 4 x planes (ResNet-50, -101, -152). See <see cref="Bottleneck"/>.</summary>
    Bottleneck,
}
