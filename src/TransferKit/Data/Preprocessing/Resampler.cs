using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TransferKit.Models;

namespace TransferKit.Data.Preprocessing;

/// <summary>
/// Pillow's two-pass resize for 8-bit RGB (Pillow 9.4 <c>Image.resize</c> without <c>reducing_gap</c>): a horizontal
/// pass into a byte buffer, then a vertical pass, each rounding to bytes with 22-bit fixed-point weights, and a pass
/// skipped when its axis keeps its size. Only a window of the resized image is computed, which gives the same bytes as
/// cropping the full result (every output pixel has its own taps) but skips the pixels a centre crop would discard.
/// </summary>
internal static unsafe class Resampler
{
    /// <summary>
    /// Resizes <paramref name="region"/> of the RGB image <paramref name="source"/> (rows of <paramref name="sourceStride"/>
    /// bytes) to <paramref name="outWidth"/> x <paramref name="outHeight"/> as if it were a whole image, and writes the
    /// <paramref name="window"/> of the result into <paramref name="destination"/> (window.Width * 3 bytes per row).
    /// </summary>
    public static void Resample(
        ReadOnlySpan<byte> source, int sourceStride, CropBox region, int outWidth, int outHeight, CropBox window,
        ResizeInterpolation interpolation, Span<byte> destination)
    {
        int rowBytes = window.Width * 3;
        if (destination.Length < window.Height * rowBytes) throw new ArgumentException("Destination too small for the window.", nameof(destination));
        bool horizontal = outWidth != region.Width;
        bool vertical = outHeight != region.Height;

        ResampleCoefficients? rows = vertical ? ResampleCoefficients.Create(region.Height, outHeight, interpolation, window.Top, window.Height) : null;
        // Source rows the horizontal pass must produce: all those the window's output rows read, or the window's own rows.
        int firstRow = rows is null ? window.Top : rows.Start[0];
        int lastRow = rows is null ? window.Bottom : rows.Start[^1] + rows.Count[^1];
        for (int i = 0; rows is not null && i < rows.Start.Length; i++) lastRow = Math.Max(lastRow, rows.Start[i] + rows.Count[i]);

        fixed (byte* src = source)
        fixed (byte* dst = destination)
        {
            byte* regionOrigin = src + ((long)region.Top * sourceStride) + (region.Left * 3);
            if (!horizontal)
            {
                // Columns keep their size: the window's columns are read straight from the source region.
                byte* columns = regionOrigin + (window.Left * 3);
                if (rows is null) CopyRows(columns + ((long)window.Top * sourceStride), sourceStride, window.Height, rowBytes, dst);
                else Vertical(columns, sourceStride, rows, rowBytes, dst);
                return;
            }

            ResampleCoefficients columnTaps = ResampleCoefficients.Create(region.Width, outWidth, interpolation, window.Left, window.Width);
            int tempRows = lastRow - firstRow;
            byte[]? rented = rows is null ? null : ArrayPool<byte>.Shared.Rent(tempRows * rowBytes);
            try
            {
                fixed (byte* temp = rented)
                {
                    byte* target = rows is null ? dst : temp;
                    Horizontal(regionOrigin + ((long)firstRow * sourceStride), sourceStride, tempRows, columnTaps, target);
                    if (rows is not null)
                    {
                        ShiftStarts(rows, firstRow);
                        Vertical(temp, rowBytes, rows, rowBytes, dst);
                    }
                }
            }
            finally
            {
                if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static void ShiftStarts(ResampleCoefficients rows, int firstRow)
    {
        for (int i = 0; i < rows.Start.Length; i++) rows.Start[i] -= firstRow;
    }

    private static void CopyRows(byte* src, int stride, int height, int rowBytes, byte* dst)
    {
        for (int y = 0; y < height; y++)
            new ReadOnlySpan<byte>(src + ((long)y * stride), rowBytes).CopyTo(new Span<byte>(dst + ((long)y * rowBytes), rowBytes));
    }

    /// <summary>Horizontal pass over <paramref name="height"/> rows: RGB pixels, three sums per output pixel.</summary>
    private static void Horizontal(byte* src, int stride, int height, ResampleCoefficients taps, byte* dst)
    {
        int outWidth = taps.Start.Length;
        int kernelSize = taps.KernelSize;
        fixed (int* weights = taps.Weights)
        fixed (int* starts = taps.Start)
        fixed (int* counts = taps.Count)
        {
            for (int y = 0; y < height; y++)
            {
                byte* inRow = src + ((long)y * stride);
                byte* outRow = dst + ((long)y * outWidth * 3);
                for (int x = 0; x < outWidth; x++)
                {
                    int* k = weights + (x * kernelSize);
                    byte* p = inRow + (starts[x] * 3);
                    int n = counts[x];
                    int r = ResampleCoefficients.Half, g = r, b = r;
                    for (int t = 0; t < n; t++, p += 3)
                    {
                        int w = k[t];
                        r += p[0] * w;
                        g += p[1] * w;
                        b += p[2] * w;
                    }

                    outRow[(x * 3) + 0] = ResampleCoefficients.Clip(r);
                    outRow[(x * 3) + 1] = ResampleCoefficients.Clip(g);
                    outRow[(x * 3) + 2] = ResampleCoefficients.Clip(b);
                }
            }
        }
    }

    /// <summary>Vertical pass: each output row is a weighted sum of source rows, byte by byte (channels are independent).</summary>
    private static void Vertical(byte* src, int stride, ResampleCoefficients taps, int rowBytes, byte* dst)
    {
        int kernelSize = taps.KernelSize;
        fixed (int* weights = taps.Weights)
        {
            for (int y = 0; y < taps.Start.Length; y++)
            {
                byte* first = src + ((long)taps.Start[y] * stride);
                int* k = weights + (y * kernelSize);
                int n = taps.Count[y];
                byte* outRow = dst + ((long)y * rowBytes);
                int i = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; i <= rowBytes - 16; i += 16) VerticalBlock16(first + i, stride, k, n, outRow + i);
                }

                for (; i < rowBytes; i++)
                {
                    int sum = ResampleCoefficients.Half;
                    byte* p = first + i;
                    for (int t = 0; t < n; t++, p += stride) sum += *p * k[t];
                    outRow[i] = ResampleCoefficients.Clip(sum);
                }
            }
        }
    }

    /// <summary>Sixteen bytes of one output row: two 8-lane int32 accumulators, exact like the scalar loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void VerticalBlock16(byte* column, int stride, int* k, int n, byte* output)
    {
        var lo = Vector256.Create(ResampleCoefficients.Half);
        var hi = lo;
        for (int t = 0; t < n; t++, column += stride)
        {
            (Vector128<ushort> wideLo, Vector128<ushort> wideHi) = Vector128.Widen(Vector128.Load(column));
            var w = Vector256.Create(k[t]);
            lo += Vector256.WidenLower(wideLo.ToVector256Unsafe()).AsInt32() * w;
            hi += Vector256.WidenLower(wideHi.ToVector256Unsafe()).AsInt32() * w;
        }

        Vector256<int> zero = Vector256<int>.Zero, max = Vector256.Create(255);
        lo = Vector256.Min(Vector256.Max(Vector256.ShiftRightArithmetic(lo, ResampleCoefficients.PrecisionBits), zero), max);
        hi = Vector256.Min(Vector256.Max(Vector256.ShiftRightArithmetic(hi, ResampleCoefficients.PrecisionBits), zero), max);
        Vector256<ushort> packed = Vector256.Narrow(lo.AsUInt32(), hi.AsUInt32());   // lanes 0..15 of one 16-lane vector
        Vector128<byte> bytes = Vector128.Narrow(packed.GetLower(), packed.GetUpper());
        bytes.Store(output);
    }
}
