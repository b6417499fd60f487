namespace TransferKit.Models.Onnx;

public sealed partial class OnnxNetwork
{
    private static readonly HashSet<string> Activations = ["Relu", "LeakyRelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Identity", "Dropout"];

    internal int InputSlot => _inputSlot;

    internal int StepCountInternal => _steps.Length;

    /// <summary>The step that computes <paramref name="slot"/>, or -1.</summary>
    internal int ProducerOf(int slot) => Array.FindIndex(_steps, s => s.Output == slot);

    /// <summary>The slot of a value name, or -1.</summary>
    internal int SlotOf(string name) => _slotNames.TryGetValue(name, out int s) ? s : -1;

    internal string NameOf(int slot) => _slotNames.First(kv => kv.Value == slot).Key;

    internal OnnxStep Step(int i) => _steps[i];

    /// <summary>
    /// Where the graph can be cut into freezable units, within steps [0, <paramref name="end"/>): positions p where exactly one
    /// tensor computed from the image crosses from steps before p to steps from p on, right after a residual or branch join
    /// (a node reading two image tensors) or a pool, and after the activations that follow it. Returns (p, crossing slot).
    /// </summary>
    internal List<(int Step, int Slot)> UnitCuts(int end)
    {
        var cuts = new List<(int, int)>();
        var producer = new Dictionary<int, int> { [_inputSlot] = -1 };
        for (int i = 0; i < end; i++) producer[_steps[i].Output] = i;
        var lastUse = new Dictionary<int, int>();
        for (int i = 0; i < end; i++)
            foreach (int s in _steps[i].Inputs) if (s >= 0 && producer.ContainsKey(s)) lastUse[s] = i;
        for (int p = 1; p < end; p++)
        {
            if (Activations.Contains(_steps[p].Node.OpType) && _steps[p].Inputs[0] == _steps[p - 1].Output) continue;
            int q = p - 1;
            while (q > 0 && Activations.Contains(_steps[q].Node.OpType)) q--;
            var op = _steps[q].Node.OpType;
            bool join = _steps[q].Inputs.Count(s => s >= 0 && _preset[s] is null) >= 2;
            if (!join && op is not ("MaxPool" or "AveragePool")) continue;
            var crossing = lastUse.Where(kv => producer[kv.Key] < p && kv.Value >= p).Select(kv => kv.Key).ToList();
            if (crossing.Count == 1 && _steps.Take(p).Any(s => s.Output == crossing[0]) && _steps[producer[crossing[0]]].Kernel is not null)
                cuts.Add((p, crossing[0]));
        }
        return cuts;
    }
}
