using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TransferKit.Kernels.Convolution;

/// <summary>
/// Copies input rows of one width into a row buffer behind a fixed number of zeros, with zeros after the row, for
/// <see cref="StridedGather.DeinterleaveRow"/> to split into column phases. The buffer is written in whole 16-float
/// vectors at its own 16-float steps, the same steps the deinterleave reads, so that every read is forwarded from one
/// store: rows copied to the pad's offset instead left each read straddling two fresh stores, and on 112-wide rows the
/// split then ran 0.9x of deinterleaving straight from the input. The vectors at the row's ends are whole loads inside
/// the row, their lanes moved into place and the lanes outside the row zeroed by one permute.
/// </summary>
internal sealed unsafe class PaddedRowCopy
{
    private readonly int _pad, _width, _vectors;

    /// <summary>Per buffer vector: where its load starts in the row, and for the end vectors the lane permute (null for a plain load).</summary>
    private readonly int[] _loadAt;
    private readonly bool[] _atEdge;
    private readonly Vector512<int>[] _permutes;

    /// <param name="pad">Zeros before the row (the convolution's left padding).</param>
    /// <param name="width">Floats per row.</param>
    public PaddedRowCopy(int pad, int width)
    {
        _pad = pad;
        _width = width;
        _vectors = width < 16 || !Avx512F.IsSupported ? 0 : (pad + width + 15) / 16;
        _loadAt = new int[_vectors];
        _atEdge = new bool[_vectors];
        _permutes = new Vector512<int>[_vectors];
        for (int v = 0; v < _vectors; v++)
        {
            int start = 16 * v - pad;
            int load = Math.Clamp(start, 0, width - 16);
            _loadAt[v] = load;
            if (load == start) continue;
            _atEdge[v] = true;
            // Lane l holds row column start + l; outside the row it takes lane 16 of the pair, the zero vector.
            var lanes = new int[16];
            for (int l = 0; l < 16; l++) lanes[l] = start + l >= 0 && start + l < width ? start + l - load : 16;
            _permutes[v] = Vector512.Create(lanes);
        }
    }

    /// <summary>
    /// Floats of the row buffer written by <see cref="Copy"/>: the vectors that hold the pad and the row. Clear the
    /// buffer once; later copies leave the rest zero.
    /// </summary>
    public int WrittenLength => _vectors == 0 ? _pad + _width : 16 * _vectors;

    /// <summary>buffer[pad + j] = row[j] for j in [0, width), zeros in [0, pad) and from pad + width to <see cref="WrittenLength"/>.</summary>
    public void Copy(float* row, float* buffer)
    {
        if (_vectors == 0)
        {
            Buffer.MemoryCopy(row, buffer + _pad, (long)_width * sizeof(float), (long)_width * sizeof(float));
            return;
        }
        for (int v = 0; v < _vectors; v++)
        {
            var x = Vector512.Load(row + _loadAt[v]);
            if (_atEdge[v]) x = Avx512F.PermuteVar16x32x2(x, _permutes[v], Vector512<float>.Zero);
            if (StridedGather.PrefetchesAhead && Sse.IsSupported) Sse.Prefetch0(row + _loadAt[v] + StridedGather.PrefetchDistance);
            x.Store(buffer + 16 * v);
        }
    }
}
