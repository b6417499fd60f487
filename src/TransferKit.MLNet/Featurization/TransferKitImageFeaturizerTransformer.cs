using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using TransferKit.MLNet.Data;
using TransferKit.MLNet.Hosting;
using TransferKit.MLNet.Mapping;

namespace TransferKit.MLNet.Featurization;

/// <summary>
/// Adds a feature vector column computed by a frozen backbone from a column of encoded image bytes, in batches: the
/// counterpart of ML.NET's <c>DnnFeaturizeImage</c>, ready for ML.NET's own trainers (LBFGS, SDCA, LightGBM). Saves
/// into ML.NET model files with the backbone inside.
/// </summary>
public sealed class TransferKitImageFeaturizerTransformer : ITransformer, ICanSaveModel, IDisposable
{
    private readonly string _input, _output;
    private readonly FeaturizerMapper _mapper;

    internal TransferKitImageFeaturizerTransformer(IHostEnvironment env, IImageFeatureBackbone backbone, string output, string input, int batchSize)
    {
        Backbone = backbone;
        _input = input;
        _output = output;
        _mapper = new FeaturizerMapper(backbone, input, output) { Log = env, BatchSize = batchSize };
    }

    /// <summary>The backbone that computes the features.</summary>
    public IImageFeatureBackbone Backbone { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ImageColumns.Image(inputSchema, "inputColumnName", _input);
        return ImageMappedDataView.OutputSchema(inputSchema, _mapper);
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ImageColumns.Image(inputSchema, "inputColumnName", _input);
        return new ImageRowMapper(inputSchema, _mapper);
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ImageColumns.Image(input.Schema, "inputColumnName", _input);
        return new ImageMappedDataView(input, _mapper);
    }

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        MlNetInternals.Save(ctx, LoaderSignature.Featurizer, writer =>
        {
            writer.Write(_output);
            writer.Write(_input);
            writer.Write(_mapper.BatchSize);
            writer.Write(Backbone.Kind);
            ModelBytes.Write(writer, Backbone.Save);
        });
    }

    /// <summary>Called by ML.NET's loader (through the generated loader assembly) for a saved featurizer.</summary>
    internal static TransferKitImageFeaturizerTransformer Load(object env, object ctx)
    {
        var reader = MlNetInternals.OpenPayload(ctx, LoaderSignature.Featurizer);
        string output = reader.ReadString(), input = reader.ReadString();
        int batchSize = reader.ReadInt32();
        string kind = reader.ReadString();
        var backbone = ModelBytes.Read(reader, path => ImageFeatureBackbones.Load(kind, path));
        return new TransferKitImageFeaturizerTransformer((IHostEnvironment)env, backbone, output, input, batchSize);
    }

    /// <summary>Releases the backbone.</summary>
    public void Dispose() => Backbone.Dispose();
}
