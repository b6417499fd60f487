namespace TransferKit.Models;

/// <summary>Resampling filter of the resize step, with Pillow's antialiasing semantics.</summary>
public enum ResizeInterpolation
{
    /// <summary>Bilinear (triangle filter, widened when downscaling).</summary>
    Bilinear,

    /// <summary>Bicubic (a = -0.5, widened when downscaling).</summary>
    Bicubic,
}
