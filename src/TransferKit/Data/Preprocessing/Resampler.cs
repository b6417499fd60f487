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
        // Window starts never decrease along an axis, so the first output row starts lowest.
        int firstRow = rows is null ? window.Top : rows.Start[0];
        int lastRow = window.Bottom;
        if (rows is not null)
        {
            lastRow = 0;
            for (int i = 0; i < rows.Start.Length; i++) lastRow = Math.Max(lastRow, rows.Start[i] + rows.Count[i]);
        }

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
                    Horizontal(regionOrigin + ((long)firstRow * sourceStride), sourceStride, tempRows, columnTaps, target, src + source.Length);
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

    /// <summary>
    /// Horizontal pass over <paramref name="height"/> rows: RGB pixels, three sums per output pixel. With 512-bit
    /// vectors four output pixels are computed together, one tap per step: each pixel's 4 bytes at that tap (R, G, B and
    /// a byte whose lane is discarded) fill 16 int lanes, multiplied by that tap's four weights spread over the lanes
    /// (zero past a pixel's own taps). Vector reads may pass a pixel's last tap, so a group or pixel whose reads would
    /// pass the end of the source takes a narrower path.
    /// </summary>
    private static void Horizontal(byte* src, int stride, int height, ResampleCoefficients taps, byte* dst, byte* sourceEnd)
    {
        int outWidth = taps.Start.Length;
        int kernelSize = taps.KernelSize;
        int groups = Vector512.IsHardwareAccelerated ? outWidth / 4 : 0;
        int[]? spread = groups > 0 ? SpreadWeights(taps, groups) : null;
        fixed (int* weights = taps.Weights)
        fixed (int* groupWeights = spread)
        fixed (int* starts = taps.Start)
        fixed (int* counts = taps.Count)
        {
            for (int y = 0; y < height; y++)
            {
                byte* inRow = src + ((long)y * stride);
                byte* outRow = dst + ((long)y * outWidth * 3);
                int x = 0;
                for (int g = 0; g < groups; g++, x += 4)
                {
                    int n = Math.Max(Math.Max(counts[x], counts[x + 1]), Math.Max(counts[x + 2], counts[x + 3]));
                    if (inRow + (starts[x + 3] * 3) + (n * 3) < sourceEnd)
                        HorizontalGroup512(inRow, starts + x, groupWeights + (g * kernelSize * 16), n, outRow + (x * 3));
                    else
                        break;
                }

                for (; x < outWidth; x++)
                {
                    byte* p = inRow + (starts[x] * 3);
                    int n = counts[x];
                    byte* o = outRow + (x * 3);
                    if (Vector128.IsHardwareAccelerated && p + (n * 3) < sourceEnd) HorizontalPixel128(p, weights + (x * kernelSize), n, o);
                    else HorizontalPixelScalar(p, weights + (x * kernelSize), n, o);
                }
            }
        }

        if (spread is not null) ArrayPool<int>.Shared.Return(spread);
    }

    /// <summary>For each group of four output pixels and each tap: 16 ints, the four pixels' weights each repeated four times.</summary>
    private static int[] SpreadWeights(ResampleCoefficients taps, int groups)
    {
        int perGroup = taps.KernelSize * 16;
        int[] spread = ArrayPool<int>.Shared.Rent(groups * perGroup);
        Array.Clear(spread, 0, groups * perGroup);
        for (int g = 0; g < groups; g++)
        {
            for (int j = 0; j < 4; j++)
            {
                int x = (g * 4) + j;
                for (int t = 0; t < taps.Count[x]; t++)
                    spread.AsSpan((g * perGroup) + (t * 16) + (j * 4), 4).Fill(taps.Weights[(x * taps.KernelSize) + t]);
            }
        }

        return spread;
    }

    /// <summary>Four output pixels: <paramref name="n"/> steps of one tap each, then 12 result bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void HorizontalGroup512(byte* row, int* starts, int* weights, int n, byte* output)
    {
        byte* p0 = row + (starts[0] * 3), p1 = row + (starts[1] * 3), p2 = row + (starts[2] * 3), p3 = row + (starts[3] * 3);
        Vector512<int> sum = Vector512.Create(ResampleCoefficients.Half);
        for (int t = 0; t < n; t++, weights += 16)
        {
            int offset = t * 3;
            Vector128<byte> bytes = Vector128.Create(
                Unsafe.ReadUnaligned<uint>(p0 + offset), Unsafe.ReadUnaligned<uint>(p1 + offset),
                Unsafe.ReadUnaligned<uint>(p2 + offset), Unsafe.ReadUnaligned<uint>(p3 + offset)).AsByte();
            Vector512<int> pixels = Vector512.WidenLower(Vector512.WidenLower(bytes.ToVector256Unsafe().ToVector512Unsafe())).AsInt32();
            sum += pixels * Vector512.Load(weights);
        }

        sum = Vector512.Min(Vector512.Max(Vector512.ShiftRightArithmetic(sum, ResampleCoefficients.PrecisionBits), Vector512<int>.Zero), Vector512.Create(255));
        Vector256<ushort> words = Vector256.Narrow(sum.GetLower().AsUInt32(), sum.GetUpper().AsUInt32());
        Vector128<byte> rgbx = Vector128.Narrow(words.GetLower(), words.GetUpper());
        Vector128<byte> rgb = Vector128.Shuffle(rgbx, Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0, 0, 0, 0));
        Unsafe.WriteUnaligned(output, rgb.AsUInt64().GetElement(0));
        Unsafe.WriteUnaligned(output + 8, rgb.AsUInt32().GetElement(2));
    }

    /// <summary>One tap per step: 4 bytes (R, G, B and a discarded byte) as int lanes times the broadcast weight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void HorizontalPixel128(byte* p, int* k, int n, byte* output)
    {
        Vector128<int> sum = Vector128.Create(ResampleCoefficients.Half);
        for (int t = 0; t < n; t++, p += 3)
        {
            Vector128<byte> bytes = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(p)).AsByte();
            sum += Vector128.WidenLower(Vector128.WidenLower(bytes)).AsInt32() * Vector128.Create(k[t]);
        }

        Store3(sum, output);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store3(Vector128<int> sum, byte* output)
    {
        sum = Vector128.Min(Vector128.Max(Vector128.ShiftRightArithmetic(sum, ResampleCoefficients.PrecisionBits), Vector128<int>.Zero), Vector128.Create(255));
        output[0] = (byte)sum.GetElement(0);
        output[1] = (byte)sum.GetElement(1);
        output[2] = (byte)sum.GetElement(2);
    }

    private static void HorizontalPixelScalar(byte* p, int* k, int n, byte* output)
    {
        int r = ResampleCoefficients.Half, g = r, b = r;
        for (int t = 0; t < n; t++, p += 3)
        {
            int w = k[t];
            r += p[0] * w;
            g += p[1] * w;
            b += p[2] * w;
        }

        output[0] = ResampleCoefficients.Clip(r);
        output[1] = ResampleCoefficients.Clip(g);
        output[2] = ResampleCoefficients.Clip(b);
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
