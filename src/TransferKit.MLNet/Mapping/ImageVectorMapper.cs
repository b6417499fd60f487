using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using TransferKit.Data.Decoding;

namespace TransferKit.MLNet.Mapping;

/// <summary>
/// What a TransferKit transformer computes from one image column: a float vector per row (class probabilities or
/// features), from which its output columns are read. Batches of rows are decoded and computed together; an image that
/// cannot be decoded gives a vector of NaN and a warning in the MLContext's log, never an exception in the middle of a cursor.
/// </summary>
internal abstract class ImageVectorMapper(string inputColumnName)
{
    /// <summary>The input column of encoded image bytes.</summary>
    public string InputColumnName { get; } = inputColumnName;

    /// <summary>Elements of each row's vector.</summary>
    public abstract int VectorLength { get; }

    /// <summary>The columns this mapper adds, in order.</summary>
    public abstract IReadOnlyList<DataViewSchema.DetachedColumn> OutputColumns { get; }

    /// <summary>Rows computed together when a cursor runs over many rows.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Where decode failures are reported.</summary>
    public IChannelProvider? Log { get; init; }

    /// <summary>Decodes <paramref name="images"/> (encoded bytes; null for a missing value) and computes their vectors into <paramref name="vectors"/>.</summary>
    public void Map(IReadOnlyList<ReadOnlyMemory<byte>?> images, IReadOnlyList<string> rowNames, float[][] vectors)
    {
        var decoded = new List<DecodedImage>();
        var rows = new List<float[]>();
        for (int i = 0; i < images.Count; i++)
        {
            vectors[i] = new float[VectorLength];
            try
            {
                if (images[i] is not { } bytes) throw new ImageDecodeException(rowNames[i], ImageDecodeFailure.Empty, "the image column holds no bytes.");
                decoded.Add(ImageDecoder.Decode(bytes.Span, rowNames[i]));
                rows.Add(vectors[i]);
            }
            catch (ImageDecodeException e)
            {
                Array.Fill(vectors[i], float.NaN);
                Warn($"{InputColumnName}, {rowNames[i]}: left NaN, the image cannot be decoded ({e.Message}).");
            }
        }
        if (decoded.Count > 0) Compute(decoded, rows);
    }

    /// <summary>Computes the vector of each decoded image into the matching element of <paramref name="rows"/>.</summary>
    protected abstract void Compute(IReadOnlyList<DecodedImage> images, IReadOnlyList<float[]> rows);

    /// <summary>A getter for output column <paramref name="output"/> that reads the current row's vector.</summary>
    public abstract Delegate Getter(int output, Func<float[]> vector);

    /// <summary>A getter of the whole vector as a VBuffer.</summary>
    protected static ValueGetter<VBuffer<float>> VectorGetter(Func<float[]> vector) =>
        (ref VBuffer<float> v) =>
        {
            var values = vector();
            var editor = VBufferEditor.Create(ref v, values.Length);
            values.CopyTo(editor.Values);
            v = editor.Commit();
        };

    private void Warn(string message)
    {
        if (Log is null) return;
        using var channel = Log.Start("TransferKit");
        channel.Warning(MessageSensitivity.None, message);
    }
}
