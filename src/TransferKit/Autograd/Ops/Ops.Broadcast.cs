using TransferKit.Tensors;

namespace TransferKit.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Element-wise arithmetic with NumPy broadcasting (ONNX's multidirectional broadcasting): shapes are aligned at the
    /// right, and a dimension of 1 (or a missing one) repeats. Covers a bias [1, C, 1, 1] added to [N, C, H, W] and a gate
    /// [N, C, 1, 1] times [N, C, H, W]. Backward sums the gradient over the repeated positions.
    /// </summary>
    /// <param name="a">Left operand, any shape broadcast-compatible with <paramref name="b"/>.</param>
    /// <param name="b">Right operand.</param>
    /// <param name="kind">The operation.</param>
    /// <returns>A tensor of the broadcast shape.</returns>
    /// <exception cref="ShapeMismatchException">A pair of aligned dimensions differs and neither is 1.</exception>
    public static unsafe Tensor Broadcast(Tensor a, Tensor b, BinaryKind kind)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (kind == BinaryKind.Add && a.Shape == b.Shape) return Add(a, b);
        if (kind == BinaryKind.Multiply && IsChannelGate(a, b)) return ChannelScale(a, b);
        if (kind == BinaryKind.Multiply && IsChannelGate(b, a)) return ChannelScale(b, a);
        var plan = BroadcastPlan.Create(a.Shape, b.Shape);
        var y = Tensor.Empty(plan.Output);
        float* pa = a.Data, pb = b.Data, py = y.Data;
        int i = 0;
        plan.ForEach((ia, ib) =>
        {
            float x = pa[ia], z = pb[ib];
            py[i++] = kind switch
            {
                BinaryKind.Add => x + z,
                BinaryKind.Subtract => x - z,
                BinaryKind.Multiply => x * z,
                _ => x / z,
            };
        });
        Tape.Record(y, () => new BroadcastNode(a, b, kind, plan), a, b);
        OpTrace.Current?.Record(TracedOpKind.Broadcast, y, kind, a, b);
        return y;
    }

    private static bool IsChannelGate(Tensor map, Tensor gate) =>
        map.Rank == 4 && gate.Rank == 4 && gate.Shape[0] == map.Shape[0] && gate.Shape[1] == map.Shape[1] && gate.Shape[2] == 1 && gate.Shape[3] == 1;

    /// <summary>Walks the output of a broadcast in row-major order, yielding the matching flat index of each operand.</summary>
    internal sealed class BroadcastPlan
    {
        private readonly int[] _dims;
        private readonly int[] _strideA;
        private readonly int[] _strideB;

        private BroadcastPlan(Shape output, int[] dims, int[] strideA, int[] strideB)
        {
            Output = output;
            _dims = dims;
            _strideA = strideA;
            _strideB = strideB;
        }

        public Shape Output { get; }

        public static BroadcastPlan Create(Shape a, Shape b)
        {
            int rank = Math.Max(a.Rank, b.Rank);
            var dims = new int[rank];
            var sa = new int[rank];
            var sb = new int[rank];
            int strideA = 1, strideB = 1;
            for (int d = rank - 1; d >= 0; d--)
            {
                int da = d - (rank - a.Rank) >= 0 ? a[d - (rank - a.Rank)] : 1;
                int db = d - (rank - b.Rank) >= 0 ? b[d - (rank - b.Rank)] : 1;
                if (da != db && da != 1 && db != 1)
                    throw new ShapeMismatchException($"Broadcast: shapes {a} and {b} are not broadcast-compatible (dimension {d}: {da} vs {db}).");
                dims[d] = Math.Max(da, db);
                sa[d] = da == 1 ? 0 : strideA;
                sb[d] = db == 1 ? 0 : strideB;
                strideA *= da;
                strideB *= db;
            }
            return new BroadcastPlan(new Shape(dims), dims, sa, sb);
        }

        /// <summary>Calls <paramref name="visit"/>(index in a, index in b) for each output element in order.</summary>
        public void ForEach(Action<int, int> visit)
        {
            int rank = _dims.Length;
            if (Output.ElementCount == 0) return;
            if (rank == 0)
            {
                visit(0, 0);
                return;
            }
            var counter = new int[rank];
            int ia = 0, ib = 0, inner = _dims[rank - 1], ja = _strideA[rank - 1], jb = _strideB[rank - 1];
            while (true)
            {
                for (int k = 0, xa = ia, xb = ib; k < inner; k++, xa += ja, xb += jb) visit(xa, xb);
                int d = rank - 2;
                for (; d >= 0; d--)
                {
                    ia += _strideA[d];
                    ib += _strideB[d];
                    if (++counter[d] < _dims[d]) break;
                    ia -= _strideA[d] * _dims[d];
                    ib -= _strideB[d] * _dims[d];
                    counter[d] = 0;
                }
                if (d < 0) return;
            }
        }
    }

    private sealed unsafe class BroadcastNode(Tensor a, Tensor b, BinaryKind kind, BroadcastPlan plan) : TapeNode(a, b)
    {
        public override string Name => "Broadcast" + kind;

        public override void Backward(Tensor gradOutput, GradientSink grads)
        {
            var ga = grads.For(0);
            var gb = grads.For(1);
            float* pa = a.Data, pb = b.Data, g = gradOutput.Data;
            float* da = ga is null ? null : ga.Data, db = gb is null ? null : gb.Data;
            int i = 0;
            plan.ForEach((ia, ib) =>
            {
                float gi = g[i++];
                switch (kind)
                {
                    case BinaryKind.Add:
                        if (da != null) da[ia] += gi;
                        if (db != null) db[ib] += gi;
                        break;
                    case BinaryKind.Subtract:
                        if (da != null) da[ia] += gi;
                        if (db != null) db[ib] -= gi;
                        break;
                    case BinaryKind.Multiply:
                        if (da != null) da[ia] += gi * pb[ib];
                        if (db != null) db[ib] += gi * pa[ia];
                        break;
                    default:
                        float inv = 1f / pb[ib];
                        if (da != null) da[ia] += gi * inv;
                        if (db != null) db[ib] -= gi * pa[ia] * inv * inv;
                        break;
                }
            });
        }
    }
}
