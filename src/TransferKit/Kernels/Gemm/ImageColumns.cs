namespace TransferKit.Kernels.Gemm;

/// <summary>
/// The columns of a product that runs several images as one: column j is pixel j % <see cref="Width"/> of image
/// j / <see cref="Width"/>. Each image's columns lie contiguously in B (row stride ldb, the next image
/// <see cref="BImageStride"/> floats on) and in C and the residual (row stride ldc, the next image
/// <see cref="CImageStride"/> floats on), so the images need not be copied side by side first or scattered after.
/// </summary>
/// <param name="Width">Columns per image (its pixels), at least the micro-kernel's width, so that a tile spans at most two images.</param>
/// <param name="BImageStride">Floats from one image's B to the next's.</param>
/// <param name="CImageStride">Floats from one image's C (and residual) to the next's.</param>
internal readonly record struct ImageColumns(int Width, long BImageStride, long CImageStride);
