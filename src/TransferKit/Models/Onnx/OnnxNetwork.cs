using TransferKit.Autograd;
using TransferKit.Nn;
using TransferKit.Tensors;
using TransferKit.Weights.Onnx;

namespace TransferKit.Models.Onnx;

/// <summary>
/// An ONNX graph imported as a trainable network. Float initializers become <see cref="Parameter"/>s under their ONNX names
/// (nested by dots, so a PyTorch export keeps torchvision's keys), BatchNormalization statistics become buffers, shape
/// arithmetic on known values is folded at import, and every tensor operator runs through the differentiable
/// <see cref="Ops"/> primitives, so the graph trains. The batch is dynamic even where the file fixes it to 1.
/// </summary>
/// <example>
/// <code>
/// using var net = OnnxNetwork.Load("resnet18.onnx");
/// net.Eval();
/// using var logits = net.Forward(images); // [N, 3, 224, 224] -> [N, 1000]
/// </code>
/// </example>
public sealed partial class OnnxNetwork : OnnxParameterTree
{
    private readonly OnnxStep[] _steps;
    private readonly object?[] _preset;
    private readonly int[] _lastUse;
    private readonly int _inputSlot;
    private readonly int _outputSlot;
    private readonly List<Tensor> _ownedConstants;
    private readonly IReadOnlyDictionary<string, int> _slotNames;
    private readonly OnnxFusedConv?[] _fusedAt;
    private ulong _dropoutCalls;

    /// <summary>The model the network was imported from (graph, opsets, metadata).</summary>
    public OnnxModel Model { get; }

    /// <summary>The image input's name.</summary>
    public string InputName { get; }

    /// <summary>The value <see cref="Forward"/> returns.</summary>
    public string OutputName { get; }

    /// <summary>The input's declared dimensions (null for symbolic ones); the batch is dynamic in any case.</summary>
    public IReadOnlyList<long?> InputDims { get; }

    /// <summary>Number of nodes run per forward pass (tensor operators and shape arithmetic left after folding).</summary>
    public int StepCount => _steps.Length;

    /// <summary>Number of nodes folded into constants at import.</summary>
    public int FoldedCount { get; }

    /// <summary>Reads and imports an ONNX model file.</summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <param name="options">Output choice and trainability; null for the defaults.</param>
    /// <exception cref="OnnxModelException">The file is malformed, has a cycle, an unsupported operator or attribute (named with
    /// its node), or an invalid external-data location.</exception>
    public static OnnxNetwork Load(string path, OnnxImportOptions? options = null) => Import(OnnxModel.Load(path), options);

    /// <summary>Imports an already read model.</summary>
    /// <exception cref="OnnxModelException">As for <see cref="Load"/>.</exception>
    public static OnnxNetwork Import(OnnxModel model, OnnxImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new OnnxImporter(model, options ?? new OnnxImportOptions()).Build();
    }

    internal OnnxNetwork(OnnxModel model, IEnumerable<(string Name, Tensor Value, bool Buffer)> weights, bool trainable, OnnxStep[] steps, object?[] preset, int inputSlot, int outputSlot,
        string inputName, string outputName, IReadOnlyList<long?> inputDims, int folded, List<Tensor> ownedConstants,
        IReadOnlyDictionary<string, int> slotNames)
    {
        _slotNames = slotNames;
        Model = model;
        foreach (var (name, value, buffer) in weights) Register(name, value, buffer, trainable);
        _steps = steps;
        _preset = preset;
        _inputSlot = inputSlot;
        _outputSlot = outputSlot;
        InputName = inputName;
        OutputName = outputName;
        InputDims = inputDims;
        FoldedCount = folded;
        _ownedConstants = ownedConstants;
        _lastUse = new int[preset.Length];
        Array.Fill(_lastUse, -1);
        for (int i = 0; i < steps.Length; i++)
            foreach (int s in steps[i].Inputs) if (s >= 0) _lastUse[s] = i;
        _lastUse[outputSlot] = int.MaxValue;
        _fusedAt = PlanFusions();
    }

    /// <summary>The operator types that remain after folding, with their counts.</summary>
    public IReadOnlyDictionary<string, int> OperatorCounts => _steps.GroupBy(s => s.Node.OpType).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Runs the graph on images [N, C, H, W] (any batch) and returns <see cref="OutputName"/>, owned by the caller.</summary>
    /// <exception cref="OnnxModelException">An operator fails on this input (its node is named).</exception>
    public override Tensor Forward(Tensor input) => ForwardRange(input, _inputSlot, 0, _steps.Length, _outputSlot, IsTraining);

    /// <summary>The preset value of a slot (a weight tensor or a constant), or null for computed values.</summary>
    internal object? PresetOf(int slot) => _preset[slot];

    /// <summary>Runs steps [<paramref name="from"/>, <paramref name="to"/>) with <paramref name="input"/> in <paramref name="inputSlot"/>; returns <paramref name="outputSlot"/>.</summary>
    internal Tensor ForwardRange(Tensor input, int inputSlot, int from, int to, int outputSlot, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        var slots = (object?[])_preset.Clone();
        slots[inputSlot] = input;
        bool recording = IsRecording;
        // Folded batch norm is exact only for frozen statistics, and only a plain graph records gradients.
        bool fuse = _fusionEnabled && !recording && !training;
        bool[]? skip = null;
        int? fixedBatch = InputDims.Count > 0 ? (int?)InputDims[0] : null;
        for (int i = from; i < to; i++)
        {
            var step = _steps[i];
            if (skip?[i] != true)
            {
                if (_fusedAt[i] is { } chain && !fuse) chain.Invalidate();
                if (_fusedAt[i] is { } fused && fuse && FitsRange(fused, to, outputSlot) && RunFused(fused, slots) is { } y)
                {
                    slots[fused.FinalSlot] = y;
                    skip ??= new bool[_steps.Length];
                    foreach (int later in fused.LaterSteps) skip[later] = true;
                }
                else
                {
                    var values = step.Inputs.Select(s => s < 0 ? null : slots[s]).ToArray();
                    slots[step.Output] = Run(step, values, fixedBatch, training);
                }
            }
            if (recording) continue;
            foreach (int s in step.Inputs)
                if (s >= 0 && _lastUse[s] == i && _preset[s] is null && s != inputSlot && s != outputSlot && slots[s] is Tensor t)
                    t.Dispose();
        }
        return slots[outputSlot] switch
        {
            Tensor t when ReferenceEquals(t, input) || _preset[outputSlot] is not null => Ops.Reshape(t, t.Shape),
            Tensor t => t,
            _ => throw new OnnxModelException(Model.FilePath, $"value {outputSlot} is shape arithmetic, not a tensor computed from the image."),
        };
    }

    private object Run(OnnxStep step, object?[] values, int? fixedBatch, bool training)
    {
        try
        {
            if (step.Kernel is null)
            {
                var constants = values.Select(v => v switch
                {
                    Tensor t => new OnnxConstant(t.Shape.ToArray(), [], null),
                    OnnxConstant c => c,
                    _ => null,
                }).ToList();
                return OnnxConstantFolding.Evaluate(step.Node, constants, Model.Opset);
            }
            var args = new OnnxArgs(values, training, Model.Opset, fixedBatch, unchecked(++_dropoutCalls * 0x9E3779B97F4A7C15UL));
            return step.Kernel(args);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or ShapeMismatchException or InvalidOperationException)
        {
            throw new OnnxModelException(Model.FilePath, e.Message, step.Node.Name, step.Node.OpType, e);
        }
    }

    private Tensor? RunFused(OnnxFusedConv chain, object?[] slots)
    {
        try
        {
            return chain.TryRun(slots, _preset);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or ShapeMismatchException or InvalidOperationException)
        {
            throw new OnnxModelException(Model.FilePath, e.Message, chain.Conv.Node.Name, chain.Conv.Node.OpType, e);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) foreach (var f in _fusedAt) f?.Release();
        if (disposing) foreach (var t in _ownedConstants) t.Dispose();
        base.Dispose(disposing);
    }
}
