using TransferKit.Tensors;

namespace TransferKit.Weights;

/// <summary>What the loader needs of a weights file, whatever its format: the tensors' names, types and shapes, and a read.</summary>
internal interface ITensorFile : IDisposable
{
    /// <summary>The path the file was opened from.</summary>
    string Path { get; }

    /// <summary>Every tensor, as safetensors header entries (name, dtype, shape).</summary>
    IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>Converts tensor <paramref name="name"/> to float32 into <paramref name="destination"/>, whose shape must equal the tensor's.</summary>
    void ReadInto(string name, Tensor destination);
}
