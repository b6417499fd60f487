namespace TransferKit.Models.Onnx;

/// <summary>ONNX's shape rules shared by constant folding and the tensor operators (axes, Reshape targets, Flatten).</summary>
internal static class OnnxShapes
{
    /// <summary>A possibly negative axis made absolute for a tensor of <paramref name="rank"/>.</summary>
    public static int Axis(long axis, int rank, string what)
    {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new ArgumentException($"{what}: axis {axis} is outside a rank-{rank} tensor.");
        return (int)a;
    }

    /// <summary>
    /// The target of Reshape: 0 copies the input's dimension (allowzero = 0), -1 is inferred. When the file fixes the batch to
    /// <paramref name="fixedBatch"/> and the input has another batch, a leading <paramref name="fixedBatch"/> that does not fit is
    /// read as the input's batch, which is how a file exported with batch 1 still runs any batch.
    /// </summary>
    public static int[] ReshapeTarget(int[] input, long[] target, int? fixedBatch)
    {
        var dims = Resolve(input, target);
        if (dims is not null) return dims;
        if (fixedBatch is { } b && target.Length > 0 && target[0] == b && input.Length > 0 && input[0] != b)
        {
            var adjusted = (long[])target.Clone();
            adjusted[0] = input[0];
            dims = Resolve(input, adjusted);
            if (dims is not null) return dims;
        }
        throw new ArgumentException($"Reshape: cannot view [{string.Join(", ", input)}] as [{string.Join(", ", target)}].");
    }

    private static int[]? Resolve(int[] input, long[] target)
    {
        long total = input.Aggregate(1L, (a, d) => a * d);
        var dims = new long[target.Length];
        int infer = -1;
        long known = 1;
        for (int i = 0; i < target.Length; i++)
        {
            long d = target[i] == 0 && i < input.Length ? input[i] : target[i];
            if (d == -1)
            {
                if (infer >= 0) return null;
                infer = i;
                continue;
            }
            if (d < 0) return null;
            dims[i] = d;
            known *= d;
        }
        if (infer >= 0)
        {
            if (known == 0 || total % known != 0) return null;
            dims[infer] = total / known;
        }
        else if (known != total) return null;
        return dims.Select(d => (int)d).ToArray();
    }

    /// <summary>Flatten's 2-D shape: dimensions before <paramref name="axis"/> and from it on.</summary>
    public static int[] Flatten(int[] dims, long axis)
    {
        int a = axis < 0 ? (int)axis + dims.Length : (int)axis;
        if (a < 0 || a > dims.Length) throw new ArgumentException($"Flatten: axis {axis} is outside rank {dims.Length}.");
        return [dims.Take(a).Aggregate(1, (x, y) => x * y), dims.Skip(a).Aggregate(1, (x, y) => x * y)];
    }

    /// <summary>Inserts dimensions of 1 at <paramref name="axes"/> (positions in the output).</summary>
    public static int[] Unsqueeze(int[] dims, IReadOnlyList<long> axes)
    {
        int rank = dims.Length + axes.Count;
        var at = axes.Select(a => Axis(a, rank, "Unsqueeze")).ToHashSet();
        var result = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) result[i] = at.Contains(i) ? 1 : dims[j++];
        return result;
    }

    /// <summary>Removes the dimensions at <paramref name="axes"/> (all dimensions of 1 when empty); each must be 1.</summary>
    public static int[] Squeeze(int[] dims, IReadOnlyList<long> axes)
    {
        var at = axes.Count == 0
            ? Enumerable.Range(0, dims.Length).Where(i => dims[i] == 1).ToHashSet()
            : axes.Select(a => Axis(a, dims.Length, "Squeeze")).ToHashSet();
        foreach (int a in at)
            if (dims[a] != 1) throw new ArgumentException($"Squeeze: dimension {a} of [{string.Join(", ", dims)}] is {dims[a]}, not 1.");
        return dims.Where((_, i) => !at.Contains(i)).ToArray();
    }
}
