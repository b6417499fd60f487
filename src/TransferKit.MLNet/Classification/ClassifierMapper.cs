using Microsoft.ML;
using Microsoft.ML.Data;
using TransferKit.Api;
using TransferKit.Data.Decoding;
using TransferKit.MLNet.Data;
using TransferKit.MLNet.Mapping;

namespace TransferKit.MLNet.Classification;

/// <summary>
/// Scores images with a trained model as ML.NET's multiclass trainers do: Score is the vector of class probabilities
/// in key order with the class names as slot names, PredictedLabel the most probable class as a value of the label's
/// key type (0, the missing key, when the image could not be decoded).
/// </summary>
internal sealed class ClassifierMapper : ImageVectorMapper
{
    private readonly TrainedModel _model;

    public ClassifierMapper(TrainedModel model, string inputColumnName, string scoreColumnName, string predictedLabelColumnName, KeyDataViewType labelType, string[] keyValues)
        : base(inputColumnName)
    {
        _model = model;
        var names = new VBuffer<ReadOnlyMemory<char>>(keyValues.Length, [.. keyValues.Select(k => k.AsMemory())]);
        var score = new DataViewSchema.Annotations.Builder();
        score.Add(AnnotationNames.SlotNames, new VectorDataViewType(TextDataViewType.Instance, keyValues.Length), (ref VBuffer<ReadOnlyMemory<char>> v) => names.CopyTo(ref v));
        score.Add(AnnotationNames.ScoreColumnKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = AnnotationNames.MulticlassClassification.AsMemory());
        score.Add(AnnotationNames.ScoreValueKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = AnnotationNames.Score.AsMemory());
        var label = new DataViewSchema.Annotations.Builder();
        label.Add(AnnotationNames.KeyValues, new VectorDataViewType(TextDataViewType.Instance, keyValues.Length), (ref VBuffer<ReadOnlyMemory<char>> v) => names.CopyTo(ref v));
        OutputColumns =
        [
            new DataViewSchema.DetachedColumn(scoreColumnName, new VectorDataViewType(NumberDataViewType.Single, keyValues.Length), score.ToAnnotations()),
            new DataViewSchema.DetachedColumn(predictedLabelColumnName, labelType, label.ToAnnotations()),
        ];
    }

    public override int VectorLength => _model.ClassNames.Count;

    public override IReadOnlyList<DataViewSchema.DetachedColumn> OutputColumns { get; }

    protected override void Compute(IReadOnlyList<DecodedImage> images, IReadOnlyList<float[]> rows)
    {
        var predictions = _model.Predict(images);
        for (int j = 0; j < rows.Count; j++)
            for (int c = 0; c < VectorLength; c++) rows[j][c] = predictions[j].Scores[c];
    }

    public override Delegate Getter(int output, Func<float[]> vector) => output switch
    {
        0 => VectorGetter(vector),
        _ => (ValueGetter<uint>)((ref uint v) => v = PredictedKey(vector())),
    };

    private static uint PredictedKey(float[] scores)
    {
        if (scores.Length == 0 || float.IsNaN(scores[0])) return 0;
        int best = 0;
        for (int c = 1; c < scores.Length; c++) if (scores[c] > scores[best]) best = c;
        return (uint)best + 1;
    }
}
