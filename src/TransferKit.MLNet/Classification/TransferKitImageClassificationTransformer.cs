using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using TransferKit.Api;
using TransferKit.MLNet.Data;
using TransferKit.MLNet.Hosting;
using TransferKit.MLNet.Mapping;

namespace TransferKit.MLNet.Classification;

/// <summary>
/// A trained TransferKit classifier as an ML.NET transformer: it adds Score (class probabilities in key order, class
/// names as slot names) and PredictedLabel (the label's key type) from the image column (encoded bytes or MLImage). It saves
/// into ML.NET model files (<c>mlContext.Model.Save</c>) with the whole TransferKit model inside, and loads back in
/// any process that references TransferKit.MLNet. Scoring is safe from many threads; a PredictionEngine is not (use
/// one per thread, or a pool).
/// </summary>
public sealed class TransferKitImageClassificationTransformer : ImageColumnTransformer, IDisposable
{
    private readonly string _input, _score, _predicted;
    private readonly KeyDataViewType _labelType;
    private readonly string[] _keyValues;

    internal TransferKitImageClassificationTransformer(IHostEnvironment env, TrainedModel model, string input, string score,
        string predicted, KeyDataViewType labelType, string[] keyValues)
        : base(new ClassifierMapper(model, input, score, predicted, labelType, keyValues) { Log = env }, "FeatureColumnName")
    {
        Model = model;
        _input = input;
        _score = score;
        _predicted = predicted;
        _labelType = labelType;
        _keyValues = keyValues;
    }

    /// <summary>The TransferKit model (network, classes, preprocessing); save it alone with <see cref="TrainedModel.Save"/>.</summary>
    public TrainedModel Model { get; }

    /// <summary>The class names, in key order.</summary>
    public IReadOnlyList<string> ClassNames => _keyValues;

    /// <summary>Writes the column names, the label's key type and values, and the TransferKit model file into the ML.NET model.</summary>
    private protected override void SaveModel(ModelSaveContext ctx)
    {
        MlNetInternals.Save(ctx, LoaderSignature.Classifier, writer =>
        {
            writer.Write(_input);
            writer.Write(_score);
            writer.Write(_predicted);
            writer.Write(_labelType.Count);
            writer.Write(_keyValues.Length);
            foreach (var k in _keyValues) writer.Write(k);
            ModelBytes.Write(writer, Model.Save);
        });
    }

    /// <summary>Called by ML.NET's loader (through the generated loader assembly) for a saved classifier.</summary>
    internal static TransferKitImageClassificationTransformer Load(object env, object ctx)
    {
        var reader = MlNetInternals.OpenPayload(ctx, LoaderSignature.Classifier);
        string input = reader.ReadString(), score = reader.ReadString(), predicted = reader.ReadString();
        ulong keyCount = reader.ReadUInt64();
        var keyValues = new string[reader.ReadInt32()];
        for (int i = 0; i < keyValues.Length; i++) keyValues[i] = reader.ReadString();
        var model = ModelBytes.Read(reader, TrainedModel.Load);
        return new TransferKitImageClassificationTransformer((IHostEnvironment)env, model, input, score, predicted, new KeyDataViewType(typeof(uint), keyCount), keyValues);
    }

    /// <summary>Releases the network.</summary>
    public void Dispose() => Model.Dispose();
}
