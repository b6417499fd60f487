using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using TransferKit.MLNet.Data;
using TransferKit.MLNet.Hosting;
using TransferKit.MLNet.Mapping;

namespace TransferKit.MLNet.Featurization;

/// <summary>
/// Adds a feature vector column computed by a frozen backbone from an image column (encoded bytes or MLImage), in batches: the
/// counterpart of ML.NET's <c>DnnFeaturizeImage</c>, ready for ML.NET's own trainers (LBFGS, SDCA, LightGBM). Saves
/// into ML.NET model files with the backbone inside.
/// </summary>
public sealed class TransferKitImageFeaturizerTransformer : ImageColumnTransformer, IDisposable
{
    private readonly string _input, _output;

    internal TransferKitImageFeaturizerTransformer(IHostEnvironment env, IImageFeatureBackbone backbone, string output, string input, int batchSize)
        : base(new FeaturizerMapper(backbone, input, output) { Log = env, BatchSize = batchSize }, "inputColumnName")
    {
        Backbone = backbone;
        _input = input;
        _output = output;
    }

    /// <summary>The backbone that computes the features.</summary>
    public IImageFeatureBackbone Backbone { get; }

    private protected override void SaveModel(ModelSaveContext ctx)
    {
        MlNetInternals.Save(ctx, LoaderSignature.Featurizer, writer =>
        {
            writer.Write(_output);
            writer.Write(_input);
            writer.Write(Mapper.BatchSize);
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
