using Microsoft.ML;
using Microsoft.ML.Data;
using TransferKit.Data.Decoding;
using TransferKit.MLNet.Mapping;

namespace TransferKit.MLNet.Featurization;

/// <summary>One output column: the backbone's feature vector of each image (NaN for an image that cannot be decoded).</summary>
internal sealed class FeaturizerMapper(IImageFeatureBackbone backbone, string input, string output) : ImageVectorMapper
{
    public override string InputColumnName => input;

    public override int VectorLength => backbone.FeatureDimension;

    public override IReadOnlyList<DataViewSchema.DetachedColumn> OutputColumns { get; } =
        [new DataViewSchema.DetachedColumn(output, new VectorDataViewType(NumberDataViewType.Single, backbone.FeatureDimension))];

    public override void Map(IReadOnlyList<ReadOnlyMemory<byte>?> images, IReadOnlyList<string> rowNames, float[][] vectors)
    {
        var decoded = new List<DecodedImage>();
        var slots = new List<int>();
        for (int i = 0; i < images.Count; i++)
        {
            vectors[i] = new float[VectorLength];
            try
            {
                if (images[i] is not { } bytes) throw new ImageDecodeException(rowNames[i], ImageDecodeFailure.Empty, "the image column holds no bytes.");
                decoded.Add(ImageDecoder.Decode(bytes.Span, rowNames[i]));
                slots.Add(i);
            }
            catch (ImageDecodeException e)
            {
                Array.Fill(vectors[i], float.NaN);
                Warn($"{input}, {rowNames[i]}: no features, the image cannot be decoded ({e.Message}).");
            }
        }
        if (decoded.Count == 0) return;
        var features = new float[decoded.Count * VectorLength];
        backbone.Featurize(decoded, features);
        for (int j = 0; j < slots.Count; j++) features.AsSpan(j * VectorLength, VectorLength).CopyTo(vectors[slots[j]]);
    }

    public override Delegate Getter(int output, Func<float[]> vector) =>
        (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) =>
        {
            var values = vector();
            var editor = VBufferEditor.Create(ref v, values.Length);
            values.CopyTo(editor.Values);
            v = editor.Commit();
        });
}
