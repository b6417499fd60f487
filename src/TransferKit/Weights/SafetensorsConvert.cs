using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace TransferKit.Weights;

/// <summary>
/// Converts raw little-endian tensor bytes to float32 or int32. Source bytes may be unaligned
/// (writers need not pad the header), so reads go through unaligned-safe primitives.
/// </summary>
internal static class SafetensorsConvert
{
    /// <summary>Converts <paramref name="source"/> (exactly destination.Length elements of <paramref name="dtype"/>) to float32.</summary>
    public static void ToSingle(SafetensorsDType dtype, ReadOnlySpan<byte> source, Span<float> destination)
    {
        switch (dtype)
        {
            case SafetensorsDType.F32:
                source.CopyTo(MemoryMarshal.AsBytes(destination));
                break;
            case SafetensorsDType.F16:
                // Half spans over unaligned bytes are fine on x64/arm64; TensorPrimitives vectorises the widening.
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source), destination);
                break;
            case SafetensorsDType.BF16:
                // bfloat16 is the high 16 bits of a float32, so widening is a shift.
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(source[(2 * i)..]) << 16);
                break;
            case SafetensorsDType.F64:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(source[(8 * i)..]);
                break;
            case SafetensorsDType.I64:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BinaryPrimitives.ReadInt64LittleEndian(source[(8 * i)..]);
                break;
            case SafetensorsDType.I32:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BinaryPrimitives.ReadInt32LittleEndian(source[(4 * i)..]);
                break;
            case SafetensorsDType.I16:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BinaryPrimitives.ReadInt16LittleEndian(source[(2 * i)..]);
                break;
            case SafetensorsDType.I8:
                for (int i = 0; i < destination.Length; i++) destination[i] = (sbyte)source[i];
                break;
            case SafetensorsDType.U8:
                for (int i = 0; i < destination.Length; i++) destination[i] = source[i];
                break;
            case SafetensorsDType.BOOL:
                for (int i = 0; i < destination.Length; i++) destination[i] = source[i] != 0 ? 1f : 0f;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype.");
        }
    }

    /// <summary>
    /// Converts integer elements to int32. Returns the index of the first element that does not fit, or -1.
    /// </summary>
    public static int ToInt32(SafetensorsDType dtype, ReadOnlySpan<byte> source, Span<int> destination)
    {
        switch (dtype)
        {
            case SafetensorsDType.I64:
                for (int i = 0; i < destination.Length; i++)
                {
                    long v = BinaryPrimitives.ReadInt64LittleEndian(source[(8 * i)..]);
                    if (v is < int.MinValue or > int.MaxValue) return i;
                    destination[i] = (int)v;
                }
                break;
            case SafetensorsDType.I32:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BinaryPrimitives.ReadInt32LittleEndian(source[(4 * i)..]);
                break;
            case SafetensorsDType.I16:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BinaryPrimitives.ReadInt16LittleEndian(source[(2 * i)..]);
                break;
            case SafetensorsDType.I8:
                for (int i = 0; i < destination.Length; i++) destination[i] = (sbyte)source[i];
                break;
            case SafetensorsDType.U8:
                for (int i = 0; i < destination.Length; i++) destination[i] = source[i];
                break;
            case SafetensorsDType.BOOL:
                for (int i = 0; i < destination.Length; i++) destination[i] = source[i] != 0 ? 1 : 0;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Not an integer safetensors dtype.");
        }
        return -1;
    }
}
