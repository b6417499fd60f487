using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using TransferKit.MLNet.Data;
using TransferKit.MLNet.Hosting;

namespace TransferKit.MLNet.Featurization;

/// <summary>
/// The estimator of <see cref="TransferKitImageFeaturizerTransformer"/>: nothing is learned, Fit checks the input
/// column and hands over the backbone. Create it with <c>mlContext.Transforms.TransferKitFeaturizeImage(...)</c>.
/// </summary>
public sealed class TransferKitImageFeaturizerEstimator : IEstimator<TransferKitImageFeaturizerTransformer>
{
    private readonly IHostEnvironment _env;
    private readonly IImageFeatureBackbone _backbone;
    private readonly string _output, _input;
    private readonly int _batchSize;

    internal TransferKitImageFeaturizerEstimator(IHostEnvironment env, IImageFeatureBackbone backbone, string output, string input, int batchSize)
    {
        ArgumentException.ThrowIfNullOrEmpty(output);
        ArgumentException.ThrowIfNullOrEmpty(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _env = env;
        _backbone = backbone;
        _output = output;
        _input = input;
        _batchSize = batchSize;
    }

    /// <inheritdoc/>
    /// <exception cref="ColumnMismatchException">The input column is missing or holds neither encoded image bytes nor MLImage.</exception>
    public TransferKitImageFeaturizerTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ImageColumns.Image(input.Schema, "inputColumnName", _input);
        return new TransferKitImageFeaturizerTransformer(_env, _backbone, _output, _input, _batchSize);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var columns = inputSchema.ToDictionary(c => c.Name);
        if (!columns.TryGetValue(_input, out var image))
            throw new ColumnMismatchException("inputColumnName", _input, ImageColumns.BytesType, null, $"The input's columns are: {string.Join(", ", inputSchema.Select(c => $"'{c.Name}'"))}.");
        if (!ImageColumns.IsImage(image))
            throw new ColumnMismatchException("inputColumnName", _input, ImageColumns.BytesType, image.ItemType.ToString(), ImageColumns.HintFor(image.ItemType, _input));
        var outputs = new DataViewSchema.Builder();
        outputs.AddColumn(_output, new VectorDataViewType(NumberDataViewType.Single, _backbone.FeatureDimension));
        foreach (var c in MlNetInternals.ShapeOf(outputs.ToSchema())) columns[c.Name] = c;
        return new SchemaShape(columns.Values);
    }
}
