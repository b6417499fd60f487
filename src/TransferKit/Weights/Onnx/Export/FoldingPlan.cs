using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Tensors;

namespace TransferKit.Weights.Onnx.Export;

/// <summary>
/// Which traced batch norms fold into a neighbour: into the convolution or linear layer that produces their input when
/// nothing else reads that output, else into the linear layer that alone reads their output. Same-shape reshapes
/// (evaluation dropout, identities) are aliases and do not count as readers.
/// </summary>
internal sealed class FoldingPlan
{
    private FoldingPlan() { }

    /// <summary>Batch-norm op index to the index of the producer it folds into.</summary>
    public Dictionary<int, int> FoldedBackward { get; } = new();

    /// <summary>Producer op index to the batch norm folded into its outputs.</summary>
    public Dictionary<int, int> NormAfter { get; } = new();

    /// <summary>Batch-norm op index to the index of the linear layer it folds into.</summary>
    public Dictionary<int, int> FoldedForward { get; } = new();

    /// <summary>Linear op index to the batch norm folded into its inputs.</summary>
    public Dictionary<int, int> NormBefore { get; } = new();

    /// <summary>Whether the op passes its input through unchanged.</summary>
    public bool IsAlias(TracedOp op) =>
        (op.Kind == TracedOpKind.Reshape && op.Output.Shape == op.Inputs[0]!.Shape)
        || (op.Kind == TracedOpKind.Activation && (ActivationKind)op.Settings! == ActivationKind.Identity);

    public static FoldingPlan Create(IReadOnlyList<TracedOp> ops, IReadOnlyList<Tensor> outputs)
    {
        var plan = new FoldingPlan();
        var canonical = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        var producer = new Dictionary<Tensor, int>(ReferenceEqualityComparer.Instance);
        var produced = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var readers = new Dictionary<Tensor, List<int>>(ReferenceEqualityComparer.Instance);
        Tensor Canon(Tensor t) => canonical.TryGetValue(t, out var c) ? c : t;
        void Read(Tensor t, int reader)
        {
            var c = Canon(t);
            if (!readers.TryGetValue(c, out var list)) readers[c] = list = new List<int>();
            list.Add(reader);
        }

        for (int i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            produced.Add(op.Output);
            if (plan.IsAlias(op))
            {
                canonical[op.Output] = Canon(op.Inputs[0]!);
                continue;
            }
            producer[op.Output] = i;
            foreach (var input in op.Inputs) if (input is not null) Read(input, i);
        }
        foreach (var output in outputs) Read(output, -1);

        bool IsConstant(Tensor? t) => t is null || !produced.Contains(t);
        int ReaderCount(Tensor t) => readers.TryGetValue(Canon(t), out var list) ? list.Count : 0;

        for (int i = 0; i < ops.Count; i++)
        {
            var norm = ops[i];
            if (norm.Kind != TracedOpKind.BatchNorm || ((TracedBatchNorm)norm.Settings!).Training) continue;
            if (!norm.Inputs.Skip(1).All(IsConstant)) continue;
            var source = Canon(norm.Inputs[0]!);
            if (producer.TryGetValue(source, out int p) && ops[p].Kind is TracedOpKind.Conv2d or TracedOpKind.Linear
                && ReaderCount(source) == 1 && IsConstant(ops[p].Inputs[1]) && IsConstant(ops[p].Inputs[2]) && !plan.NormAfter.ContainsKey(p))
            {
                plan.FoldedBackward[i] = p;
                plan.NormAfter[p] = i;
                continue;
            }
            if (norm.Output.Rank == 2 && readers.TryGetValue(Canon(norm.Output), out var next) && next is [var j] && j >= 0
                && ops[j].Kind == TracedOpKind.Linear && ReferenceEquals(Canon(ops[j].Inputs[0]!), Canon(norm.Output))
                && IsConstant(ops[j].Inputs[1]) && IsConstant(ops[j].Inputs[2]) && !plan.NormBefore.ContainsKey(j))
            {
                plan.FoldedForward[i] = j;
                plan.NormBefore[j] = i;
            }
        }
        return plan;
    }
}
