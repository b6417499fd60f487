using TransferKit.Kernels.Activations;

namespace TransferKit.Models.Onnx;

public sealed partial class OnnxNetwork
{
    private bool _fusionEnabled;

    /// <summary>Number of Conv nodes that run fused (batch norm folded, add and activation in the conv) while fusion is on.</summary>
    internal int FusedConvolutionCount => _fusedAt.Count(f => f is not null);

    /// <summary>
    /// Whether evaluation-mode passes that record nothing run the fused chains. Off by default, as for the catalog networks'
    /// folding: a network's owner that knows when weights change (<see cref="Inference.BatchNormFolding"/>, installed by a
    /// model that predicts or a cache fill) turns it on. Turning it on refolds every chain at its next use.
    /// </summary>
    internal bool FusionEnabled
    {
        get => _fusionEnabled;
        set
        {
            if (value && !_fusionEnabled) RefreshFusedWeights();
            _fusionEnabled = value;
        }
    }

    /// <summary>Recomputes the folded weights of the fused convolutions at their next use, after weights or statistics changed directly.</summary>
    internal void RefreshFusedWeights()
    {
        foreach (var f in _fusedAt) f?.Invalidate();
    }

    /// <summary>
    /// Finds the chains Conv [, BatchNormalization] [, Add] [, Relu or Clip to [0, 6]] where each node's output feeds only
    /// the next node, the weights and statistics are initializers, and the Add's other input is computed before the conv;
    /// indexed by the conv's step.
    /// </summary>
    private OnnxFusedConv?[] PlanFusions()
    {
        var fused = new OnnxFusedConv?[_steps.Length];
        var consumers = new Dictionary<int, List<int>>();
        var producer = new Dictionary<int, int>();
        for (int i = 0; i < _steps.Length; i++)
        {
            producer[_steps[i].Output] = i;
            foreach (int s in _steps[i].Inputs)
                if (s >= 0)
                {
                    if (!consumers.TryGetValue(s, out var list)) consumers[s] = list = [];
                    if (!list.Contains(i)) list.Add(i);
                }
        }
        int? OnlyConsumer(int slot, string opType) =>
            slot != _outputSlot && consumers.TryGetValue(slot, out var list) && list.Count == 1 && _steps[list[0]].Node.OpType == opType
                && _steps[list[0]].Inputs.Count(s => s == slot) == 1 ? list[0] : null;
        bool IsWeight(int slot) => slot >= 0 && _preset[slot] is Tensors.Tensor;

        for (int i = 0; i < _steps.Length; i++)
        {
            var conv = _steps[i];
            if (conv.Node.OpType != "Conv" || conv.Kernel is null || conv.Inputs.Length < 2 || !IsWeight(conv.Inputs[1])) continue;
            if (conv.Inputs.Length > 2 && conv.Inputs[2] >= 0 && !IsWeight(conv.Inputs[2])) continue;
            var later = new List<int>();
            int last = conv.Output, residual = -1;
            OnnxStep? norm = null, add = null, activation = null;
            var kind = ActivationKind.Identity;
            if (OnlyConsumer(last, "BatchNormalization") is int n && _steps[n].Inputs.Length >= 5 && _steps[n].Inputs[1..5].All(IsWeight))
            {
                norm = _steps[n];
                later.Add(n);
                last = norm.Output;
            }
            if (OnlyConsumer(last, "Add") is int a)
            {
                int other = _steps[a].Inputs.Single(s => s != last);
                bool ready = other == _inputSlot || (producer.TryGetValue(other, out int p) && p < i);
                if (ready && _preset[other] is null)
                {
                    add = _steps[a];
                    residual = other;
                    later.Add(a);
                    last = add.Output;
                }
            }
            if (OnlyConsumer(last, "Relu") is int relu)
            {
                activation = _steps[relu];
                kind = ActivationKind.ReLU;
                later.Add(relu);
            }
            else if (OnlyConsumer(last, "Clip") is int clip && ClipsToRelu6(_steps[clip]))
            {
                activation = _steps[clip];
                kind = ActivationKind.ReLU6;
                later.Add(clip);
            }
            if (later.Count > 0) fused[i] = new OnnxFusedConv(conv, norm, add, residual, activation, kind, [.. later]);
        }
        return fused;
    }

    /// <summary>Whether a Clip node clips to [0, 6] with constant bounds (attributes before opset 11, inputs from then on).</summary>
    private bool ClipsToRelu6(OnnxStep clip)
    {
        if (Model.Opset < 11)
        {
            var a = new OnnxAttributes(clip.Node);
            return a.Float("min", float.MinValue) == 0f && a.Float("max", float.MaxValue) == 6f;
        }
        double? Bound(int input) => clip.Inputs.Length > input && clip.Inputs[input] >= 0 && _preset[clip.Inputs[input]] is OnnxConstant c && c.Length == 1 ? c.At(0) : null;
        return Bound(1) == 0 && Bound(2) == 6;
    }

    /// <summary>Whether a fused chain lies within steps [.., <paramref name="to"/>) and computes no value that range must return.</summary>
    private static bool FitsRange(OnnxFusedConv chain, int to, int outputSlot) =>
        chain.LaterSteps[^1] < to && Array.IndexOf(chain.Intermediates, outputSlot) < 0;
}
