namespace TransferKit.Weights;

/// <summary>
/// The pickle globals a <c>state_dict</c> checkpoint may name: the subset of <c>torch.load(weights_only=True)</c>'s allow
/// list that plain tensors need. Every other global is refused by name before anything is built from it.
/// </summary>
internal static class TorchGlobals
{
    public const string OrderedDict = "collections.OrderedDict";
    public const string RebuildTensorV2 = "torch._utils._rebuild_tensor_v2";
    public const string RebuildTensor = "torch._utils._rebuild_tensor";
    public const string RebuildParameter = "torch._utils._rebuild_parameter";
    public const string RebuildParameterWithState = "torch._utils._rebuild_parameter_with_state";
    public const string Size = "torch.Size";

    /// <summary>The typed storage classes torch.save names in a storage's persistent id, with their element types.</summary>
    private static readonly Dictionary<string, SafetensorsDType> StorageTypes = new(StringComparer.Ordinal)
    {
        ["torch.FloatStorage"] = SafetensorsDType.F32,
        ["torch.HalfStorage"] = SafetensorsDType.F16,
        ["torch.BFloat16Storage"] = SafetensorsDType.BF16,
        ["torch.DoubleStorage"] = SafetensorsDType.F64,
        ["torch.LongStorage"] = SafetensorsDType.I64,
        ["torch.IntStorage"] = SafetensorsDType.I32,
        ["torch.ShortStorage"] = SafetensorsDType.I16,
        ["torch.CharStorage"] = SafetensorsDType.I8,
        ["torch.ByteStorage"] = SafetensorsDType.U8,
        ["torch.BoolStorage"] = SafetensorsDType.BOOL,
    };

    /// <summary>dtype objects (<c>torch.float32</c>, ...), allowed as inert values in metadata.</summary>
    private static readonly HashSet<string> DTypes = new(StringComparer.Ordinal)
    {
        "torch.float32", "torch.float16", "torch.bfloat16", "torch.float64", "torch.int64", "torch.int32",
        "torch.int16", "torch.int8", "torch.uint8", "torch.bool",
    };

    private static readonly HashSet<string> Callables = new(StringComparer.Ordinal)
    {
        OrderedDict, RebuildTensorV2, RebuildTensor, RebuildParameter, RebuildParameterWithState, Size,
    };

    /// <summary>Whether <paramref name="fullName"/> (<c>module.name</c>) may appear in a state_dict checkpoint.</summary>
    public static bool IsAllowed(string fullName) =>
        Callables.Contains(fullName) || StorageTypes.ContainsKey(fullName) || DTypes.Contains(fullName);

    /// <summary>The element type of a storage class global, or false when it is not one.</summary>
    public static bool TryStorageType(PickleGlobal global, out SafetensorsDType dtype) => StorageTypes.TryGetValue(global.FullName, out dtype);
}
