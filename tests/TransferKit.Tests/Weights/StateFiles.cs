using System.Buffers.Binary;
using TransferKit.Nn;
using TransferKit.Tensors;
using TransferKit.Weights;

namespace TransferKit.Tests.Weights;

/// <summary>Writes a module's state as safetensors in any float dtype, optionally with PyTorch's batch counters.</summary>
internal static class StateFiles
{
    /// <summary>The module's state as name and values, in the module's order.</summary>
    public static List<(string Key, Tensor Value)> State(Module module) =>
        module.StateDict().Select(kv => (kv.Key, kv.Value)).ToList();

    /// <summary>
    /// Writes <paramref name="state"/> to <paramref name="path"/> as <paramref name="dtype"/> (F32, F16, BF16 or F64),
    /// renaming keys with <paramref name="rename"/> and adding an I64 <c>num_batches_tracked</c> scalar after every
    /// <c>running_var</c> when <paramref name="batchCounters"/> is set.
    /// </summary>
    public static void Write(string path, IEnumerable<(string Key, Tensor Value)> state, string dtype = "F32",
        bool batchCounters = false, Func<string, string>? rename = null)
    {
        var entries = new List<RawSafetensors.Entry>();
        foreach (var (key, value) in state)
        {
            string name = rename?.Invoke(key) ?? key;
            entries.Add(new(name, dtype, value.Shape.Select(d => (long)d).ToArray(), Encode(value.ToArray(), dtype)));
            if (batchCounters && key.EndsWith(".running_var", StringComparison.Ordinal))
            {
                string counter = name[..^"running_var".Length] + "num_batches_tracked";
                entries.Add(new(counter, "I64", [], RawSafetensors.Bytes([12345L], 8, (b, o, v) => BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(o), v))));
            }
        }
        File.WriteAllBytes(path, RawSafetensors.Build(entries));
    }

    /// <summary>What the loader must produce from <paramref name="values"/> stored as <paramref name="dtype"/>.</summary>
    public static float[] RoundTrip(float[] values, string dtype) => dtype switch
    {
        "F32" or "F64" => values,
        "F16" => values.Select(v => (float)(Half)v).ToArray(),
        "BF16" => values.Select(v => BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(v) & 0xFFFF0000u)).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    private static byte[] Encode(float[] values, string dtype) => dtype switch
    {
        "F32" => RawSafetensors.F32(values),
        "F64" => RawSafetensors.Bytes(values, 8, (b, o, v) => BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(o), v)),
        "F16" => RawSafetensors.Bytes(values, 2, (b, o, v) => BinaryPrimitives.WriteHalfLittleEndian(b.AsSpan(o), (Half)v)),
        "BF16" => RawSafetensors.Bytes(values, 2, (b, o, v) => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(o), (ushort)(BitConverter.SingleToUInt32Bits(v) >> 16))),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };
}
