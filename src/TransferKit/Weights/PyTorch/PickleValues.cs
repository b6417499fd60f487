namespace TransferKit.Weights;

// The values the restricted pickle interpreter builds. They are inert data: nothing here refers to code, and a
// global is only ever a name that passed the allow list.

/// <summary>The MARK sentinel on the interpreter's stack.</summary>
internal sealed class PickleMark
{
    public static PickleMark Instance { get; } = new();

    private PickleMark() { }
}

/// <summary>A Python tuple.</summary>
internal sealed record PickleTuple(object?[] Items)
{
    public static PickleTuple Empty { get; } = new([]);
}

/// <summary>A Python dict or OrderedDict, in insertion order; a repeated key keeps its first position and its last value, as in Python.</summary>
internal sealed class PickleDict
{
    private readonly List<object> _keys = [];
    private readonly Dictionary<object, object?> _values = [];

    public int Count => _keys.Count;

    public IEnumerable<KeyValuePair<object, object?>> Entries => _keys.Select(k => new KeyValuePair<object, object?>(k, _values[k]));

    public void Set(object key, object? value)
    {
        if (!_values.ContainsKey(key)) _keys.Add(key);
        _values[key] = value;
    }
}

/// <summary>A global that passed the allow list, kept as its dotted name.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public string FullName => Module + "." + Name;
}

/// <summary>A storage of a zip checkpoint: the entry <c>data/&lt;Key&gt;</c>, holding <paramref name="Numel"/> elements of <paramref name="DType"/>.</summary>
internal sealed record TorchStorage(string Key, SafetensorsDType DType, long Numel);

/// <summary>A tensor rebuilt by <c>torch._utils._rebuild_tensor_v2</c>: a strided view of a storage.</summary>
internal sealed record TorchTensor(TorchStorage Storage, long Offset, int[] Shape, long[] Strides);
