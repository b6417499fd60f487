using Microsoft.ML;
using Microsoft.ML.Data;
using TransferKit.Data.Decoding;
using TransferKit.MLNet.Mapping;

namespace TransferKit.MLNet.Featurization;

/// <summary>One output column: the backbone's feature vector of each image (NaN for an image that cannot be decoded).</summary>
internal sealed class FeaturizerMapper(IImageFeatureBackbone backbone, string input, string output) : ImageVectorMapper(input)
{
    public override int VectorLength => backbone.FeatureDimension;

    public override IReadOnlyList<DataViewSchema.DetachedColumn> OutputColumns { get; } =
        [new DataViewSchema.DetachedColumn(output, new VectorDataViewType(NumberDataViewType.Single, backbone.FeatureDimension))];

    protected override void Compute(IReadOnlyList<DecodedImage> images, IReadOnlyList<float[]> rows)
    {
        var features = new float[images.Count * VectorLength];
        backbone.Featurize(images, features);
        for (int j = 0; j < rows.Count; j++) features.AsSpan(j * VectorLength, VectorLength).CopyTo(rows[j]);
    }

    public override Delegate Getter(int output, Func<float[]> vector) => VectorGetter(vector);
}
