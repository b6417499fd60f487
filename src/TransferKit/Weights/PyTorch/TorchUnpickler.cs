using System.Buffers.Binary;
using System.Text;

namespace TransferKit.Weights;

/// <summary>
/// Interprets the <c>data.pkl</c> of a PyTorch zip checkpoint without executing anything. Only the opcodes that
/// <c>torch.save</c> writes for a <c>state_dict</c> are understood, and a global is a name checked against
/// <see cref="TorchGlobals"/> the moment it is read: nothing is looked up, imported or called. REDUCE builds an
/// ordered dict, a <see cref="TorchTensor"/> (validated against its storage) or a size tuple, and refuses every other
/// callable; BUILD only accepts dicts and tensors and ignores their state. The result is an inert tree of
/// <see cref="PickleDict"/>, <see cref="PickleTuple"/>, lists, strings, numbers and tensors.
/// </summary>
internal sealed class TorchUnpickler
{
    /// <summary>Tensor ranks above this are refused; CNN weights have at most 5 dimensions.</summary>
    public const int MaxRank = 16;

    /// <summary>Element counts above this are refused (a broadcast view with zero strides could claim any count).</summary>
    public const long MaxElements = 1L << 40;

    private readonly string _path;
    private readonly byte[] _bytes;
    private readonly Func<PickleTuple, TorchStorage> _persistentLoad;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<int, object?> _memo = [];
    private int _position;

    private TorchUnpickler(string path, byte[] bytes, Func<PickleTuple, TorchStorage> persistentLoad)
    {
        _path = path;
        _bytes = bytes;
        _persistentLoad = persistentLoad;
    }

    /// <summary>Interprets <paramref name="pickle"/> up to its STOP and returns the value it leaves.</summary>
    /// <param name="path">The checkpoint, for messages.</param>
    /// <param name="pickle">The bytes of data.pkl.</param>
    /// <param name="persistentLoad">Turns a BINPERSID id (e.g. <c>('storage', torch.FloatStorage, '0', 'cpu', 27)</c>) into a validated storage.</param>
    /// <exception cref="PyTorchCheckpointException">A refused global or opcode, or a malformed or truncated pickle.</exception>
    public static object? Load(string path, byte[] pickle, Func<PickleTuple, TorchStorage> persistentLoad) =>
        new TorchUnpickler(path, pickle, persistentLoad).Run();

    private PyTorchCheckpointException Error(string reason, string? global = null) =>
        new(_path, $"data.pkl at byte {_position}: {reason}", global);

    private object? Run()
    {
        while (true)
        {
            int at = _position;
            byte op = ReadByte();
            switch (op)
            {
                case 0x80: // PROTO
                    byte protocol = ReadByte();
                    if (protocol > 5) throw Error($"pickle protocol {protocol} is not one Python writes.");
                    break;
                case 0x95: // FRAME: a length hint only; the bytes that follow are ordinary opcodes.
                    long frame = BinaryPrimitives.ReadInt64LittleEndian(Take(8));
                    if (frame < 0 || frame > _bytes.Length - _position) throw Error($"a frame of {frame} bytes runs past the end.");
                    break;
                case (byte)'.': // STOP
                    if (_stack.Count != 1 || _marks.Count != 0)
                        throw Error($"STOP with {_stack.Count} values and {_marks.Count} open marks; a checkpoint leaves exactly one value.");
                    return _stack[0];
                case (byte)'(': _marks.Push(_stack.Count); _stack.Add(PickleMark.Instance); break; // MARK
                case (byte)'N': _stack.Add(null); break; // NONE
                case 0x88: _stack.Add(true); break; // NEWTRUE
                case 0x89: _stack.Add(false); break; // NEWFALSE
                case (byte)'J': _stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break; // BININT
                case (byte)'K': _stack.Add((long)ReadByte()); break; // BININT1
                case (byte)'M': _stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break; // BININT2
                case 0x8A: _stack.Add(ReadLong1()); break; // LONG1
                case (byte)'G': _stack.Add(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break; // BINFLOAT
                case (byte)'X': _stack.Add(ReadUtf8(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break; // BINUNICODE
                case 0x8C: _stack.Add(ReadUtf8(ReadByte())); break; // SHORT_BINUNICODE
                case (byte)'U': _stack.Add(Encoding.Latin1.GetString(Take(ReadByte()))); break; // SHORT_BINSTRING
                case (byte)')': _stack.Add(PickleTuple.Empty); break; // EMPTY_TUPLE
                case (byte)']': _stack.Add(new List<object?>()); break; // EMPTY_LIST
                case (byte)'}': _stack.Add(new PickleDict()); break; // EMPTY_DICT
                case (byte)'t': _stack.Add(new PickleTuple(PopMark().ToArray())); break; // TUPLE
                case 0x85: _stack.Add(new PickleTuple(PopN(1))); break; // TUPLE1
                case 0x86: _stack.Add(new PickleTuple(PopN(2))); break; // TUPLE2
                case 0x87: _stack.Add(new PickleTuple(PopN(3))); break; // TUPLE3
                case (byte)'a': Append(PopN(1)); break; // APPEND
                case (byte)'e': Append(PopMark().ToArray()); break; // APPENDS
                case (byte)'s': SetItems(PopN(2)); break; // SETITEM
                case (byte)'u': SetItems(PopMark().ToArray()); break; // SETITEMS
                case (byte)'q': Put(ReadByte()); break; // BINPUT
                case (byte)'r': Put(ReadMemoIndex()); break; // LONG_BINPUT
                case 0x94: Put(_memo.Count); break; // MEMOIZE
                case (byte)'h': Get(ReadByte()); break; // BINGET
                case (byte)'j': Get(ReadMemoIndex()); break; // LONG_BINGET
                case (byte)'c': _stack.Add(Global(ReadLine(), ReadLine())); break; // GLOBAL
                case 0x93: // STACK_GLOBAL
                    var names = PopN(2);
                    if (names[0] is not string module || names[1] is not string name) throw Error("STACK_GLOBAL needs two strings.");
                    _stack.Add(Global(module, name));
                    break;
                case (byte)'Q': // BINPERSID
                    if (PopN(1)[0] is not PickleTuple id) throw Error("a persistent id must be a tuple.");
                    _stack.Add(_persistentLoad(id));
                    break;
                case (byte)'R': Reduce(); break; // REDUCE
                case (byte)'b': Build(); break; // BUILD
                default:
                    throw Error($"opcode 0x{op:x2} ('{(op is >= 0x20 and < 0x7F ? (char)op : '?')}') at byte {at} is not one a state_dict checkpoint needs, so the file is refused.");
            }
        }
    }

    private PickleGlobal Global(string module, string name)
    {
        var global = new PickleGlobal(module, name);
        if (!TorchGlobals.IsAllowed(global.FullName))
            throw Error($"the pickle names the global '{global.FullName}', which a state_dict does not need; loading it could run code, so the file is refused.", global.FullName);
        return global;
    }

    private void Reduce()
    {
        var popped = PopN(2);
        if (popped[0] is not PickleGlobal callable) throw Error("REDUCE needs a global to call.");
        if (popped[1] is not PickleTuple args) throw Error($"REDUCE of '{callable.FullName}' needs a tuple of arguments.");
        object result = callable.FullName switch
        {
            TorchGlobals.OrderedDict => NewOrderedDict(args),
            TorchGlobals.RebuildTensorV2 or TorchGlobals.RebuildTensor => RebuildTensor(args),
            TorchGlobals.RebuildParameter or TorchGlobals.RebuildParameterWithState =>
                args.Items.Length >= 1 && args.Items[0] is TorchTensor data ? data : throw Error($"{callable.FullName} needs a tensor as its first argument."),
            TorchGlobals.Size => args.Items.Length == 1 && args.Items[0] is PickleTuple dims ? dims : throw Error("torch.Size needs one tuple."),
            _ => throw Error($"'{callable.FullName}' cannot be called in a state_dict checkpoint.", callable.FullName),
        };
        _stack.Add(result);
    }

    private PickleDict NewOrderedDict(PickleTuple args)
    {
        var dict = new PickleDict();
        if (args.Items.Length == 0) return dict;
        if (args.Items.Length != 1 || args.Items[0] is not List<object?> pairs) throw Error("OrderedDict takes no arguments or one list of pairs.");
        foreach (var pair in pairs)
        {
            if (pair is not PickleTuple { Items.Length: 2 } kv) throw Error("OrderedDict's list must hold (key, value) pairs.");
            dict.Set(Key(kv.Items[0]), kv.Items[1]);
        }
        return dict;
    }

    /// <summary><c>_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])</c>, checked against the storage.</summary>
    private TorchTensor RebuildTensor(PickleTuple args)
    {
        var a = args.Items;
        if (a.Length < 4 || a[0] is not TorchStorage storage || a[1] is not long offset || a[2] is not PickleTuple size || a[3] is not PickleTuple stride)
            throw Error("a tensor rebuild needs (storage, offset, size, stride, ...).");
        if (a.Length > 5 && a[5] is PickleDict { Count: > 0 }) throw Error("a tensor carries backward hooks, which a state_dict never has.");
        if (size.Items.Length > MaxRank) throw Error($"a tensor of rank {size.Items.Length} exceeds the limit of {MaxRank}.");
        if (stride.Items.Length != size.Items.Length) throw Error($"a tensor has {size.Items.Length} sizes but {stride.Items.Length} strides.");
        if (offset < 0 || offset > storage.Numel) throw Error($"storage offset {offset} lies outside storage '{storage.Key}' of {storage.Numel} elements.");
        var shape = new int[size.Items.Length];
        var strides = new long[size.Items.Length];
        for (int d = 0; d < shape.Length; d++)
        {
            if (size.Items[d] is not long n || n < 0 || n > int.MaxValue) throw Error($"size {size.Items[d]} of dimension {d} is not a valid tensor size.");
            if (stride.Items[d] is not long s || s < 0) throw Error($"stride {stride.Items[d]} of dimension {d} is not a valid stride.");
            shape[d] = (int)n;
            strides[d] = s;
        }
        if (shape.Contains(0)) return new TorchTensor(storage, offset, shape, strides);

        // The last element read is offset + sum((size - 1) * stride); every term is non-negative, so the sum is
        // checked against the storage term by term, without overflow.
        long last = offset;
        for (int d = 0; d < shape.Length; d++)
        {
            long room = storage.Numel - 1 - last;
            if (room < 0 || (strides[d] != 0 && shape[d] - 1 > room / strides[d]))
                throw Error($"a tensor of size [{string.Join(", ", shape)}], strides [{string.Join(", ", strides)}] at offset {offset} reads past storage '{storage.Key}' of {storage.Numel} elements.");
            last += (shape[d] - 1) * strides[d];
        }
        if (last >= storage.Numel)
            throw Error($"a tensor at offset {offset} reads past storage '{storage.Key}' of {storage.Numel} elements.");
        long count = 1;
        foreach (int n in shape)
        {
            count *= n;
            if (count > MaxElements) throw Error($"a tensor of size [{string.Join(", ", shape)}] has more than {MaxElements} elements.");
        }
        return new TorchTensor(storage, offset, shape, strides);
    }

    private void Build()
    {
        var popped = PopN(2);
        // A state_dict's OrderedDict carries its _metadata (module versions) as state, and a Parameter may carry
        // Python attributes; neither affects the weights, so the state is dropped after checking its target.
        if (popped[0] is not (PickleDict or TorchTensor)) throw Error("BUILD applies only to dicts and tensors in a state_dict checkpoint.");
        _stack.Add(popped[0]);
    }

    private void Append(object?[] items)
    {
        if (_stack.Count == 0 || _stack[^1] is not List<object?> list) throw Error("APPEND needs a list.");
        list.AddRange(items);
    }

    private void SetItems(object?[] items)
    {
        if (items.Length % 2 != 0) throw Error("SETITEMS needs key/value pairs.");
        if (_stack.Count == 0 || _stack[^1] is not PickleDict dict) throw Error("SETITEM needs a dict.");
        for (int i = 0; i < items.Length; i += 2) dict.Set(Key(items[i]), items[i + 1]);
    }

    private object Key(object? key) => key switch
    {
        string or long or bool or double => key,
        null => throw Error("a dict key is None; a state_dict's keys are strings."),
        _ => throw Error($"a dict key of type {key.GetType().Name} is not a string or a number."),
    };

    private void Put(int index)
    {
        if (_stack.Count == 0 || _stack[^1] is PickleMark) throw Error("a memo put with nothing to store.");
        _memo[index] = _stack[^1];
    }

    private void Get(int index)
    {
        if (!_memo.TryGetValue(index, out var value)) throw Error($"memo entry {index} is read before it is written.");
        _stack.Add(value);
    }

    private int ReadMemoIndex()
    {
        uint index = BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
        return index <= int.MaxValue ? (int)index : throw Error($"memo index {index} is out of range.");
    }

    private object?[] PopN(int n)
    {
        int start = _stack.Count - n;
        int floor = _marks.Count > 0 ? _marks.Peek() + 1 : 0;
        if (start < floor) throw Error($"the stack holds fewer than {n} values here.");
        var items = _stack.GetRange(start, n).ToArray();
        _stack.RemoveRange(start, n);
        return items;
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0) throw Error("no MARK to collect values from.");
        int mark = _marks.Pop();
        var items = _stack.GetRange(mark + 1, _stack.Count - mark - 1);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private long ReadLong1()
    {
        int n = ReadByte();
        if (n > 8) throw Error($"an integer of {n} bytes is larger than any size or offset a checkpoint holds.");
        var bytes = Take(n);
        if (n == 0) return 0;
        Span<byte> padded = stackalloc byte[8];
        padded.Fill((bytes[^1] & 0x80) != 0 ? (byte)0xFF : (byte)0);
        bytes.CopyTo(padded);
        return BinaryPrimitives.ReadInt64LittleEndian(padded);
    }

    private string ReadUtf8(uint length)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Take(length));
        }
        catch (DecoderFallbackException e)
        {
            throw new PyTorchCheckpointException(_path, $"data.pkl at byte {_position}: a string is not valid UTF-8 ({e.Message}).");
        }
    }

    private string ReadLine()
    {
        int end = Array.IndexOf(_bytes, (byte)'\n', _position, Math.Min(256, _bytes.Length - _position));
        if (end < 0) throw Error("a GLOBAL name is unterminated or longer than 255 bytes.");
        string line = Encoding.ASCII.GetString(_bytes, _position, end - _position);
        _position = end + 1;
        return line;
    }

    private byte ReadByte() => Take(1)[0];

    private ReadOnlySpan<byte> Take(long count)
    {
        if (count > _bytes.Length - _position) throw Error($"the pickle is truncated: {count} more bytes needed, {_bytes.Length - _position} left.");
        var span = _bytes.AsSpan(_position, (int)count);
        _position += (int)count;
        return span;
    }
}
