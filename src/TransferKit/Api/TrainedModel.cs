using TransferKit.Autograd;
using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;
using TransferKit.Data.Preprocessing;
using TransferKit.Evaluation;
using TransferKit.Kernels.Gemm;
using TransferKit.Models;
using TransferKit.Models.Inference;
using TransferKit.Tensors;

namespace TransferKit.Api;

/// <summary>
/// A trained classifier: the network in evaluation mode, its class names and its preprocessing. Save it as one file,
/// load it back, and predict from paths, streams or bytes. Prediction is safe to call from many threads at once; a
/// corrupt image fails only its own call, with an <see cref="ImageDecodeException"/> naming it.
/// </summary>
public sealed partial class TrainedModel : IDisposable
{
    private readonly EvaluationTransform _transform;

    internal TrainedModel(ConvNet network, ModelMetadata metadata)
    {
        Network = network;
        Metadata = metadata;
        _transform = new EvaluationTransform(metadata.Preprocessing);
        network.Eval();
        // Prediction runs each conv with its batch norm folded in, and with its bias, residual add and activation fused.
        Folding = BatchNormFolding.FoldForInference(network);
    }

    /// <summary>The network's batch norm, folded for prediction.</summary>
    internal FoldedBatchNorm Folding { get; }

    /// <summary>Recomputes the folded weights prediction uses, after the network's weights or statistics were changed directly.</summary>
    public void RefreshFoldedWeights() => Folding.Refresh();

    /// <summary>
    /// The network (evaluation mode). Prediction runs it with batch norm folded into the convolutions; a training step
    /// on it needs nothing, but after changing its weights or statistics directly call <see cref="RefreshFoldedWeights"/>.
    /// </summary>
    public ConvNet Network { get; }

    /// <summary>Architecture, head, classes and preprocessing, as saved.</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>
    /// The arithmetic of <see cref="Predict(IReadOnlyList{DecodedImage})"/> and <see cref="Evaluate"/>: Float32 (the
    /// default) or BFloat16, which runs the matrix products about twice as fast where the CPU has AVX512-BF16 and falls
    /// back to Float32 elsewhere (<see cref="EffectivePrecision"/> says which runs). Not saved with the model.
    /// </summary>
    public InferencePrecision Precision { get; set; }

    /// <summary>The precision prediction runs in on this machine: <see cref="Precision"/>, or Float32 where that is unavailable.</summary>
    public InferencePrecision EffectivePrecision => InferencePrecisionSupport.Effective(Precision);

    /// <summary>Class names in label order.</summary>
    public IReadOnlyList<string> ClassNames => Metadata.ClassNames;

    private bool Sigmoid => Metadata.Network.Head?.Output == HeadOutput.Sigmoid;

    /// <summary>Writes the model atomically to <paramref name="path"/> (one safetensors file with versioned metadata).</summary>
    public void Save(string path) => ModelFile.Save(path, Network, Metadata);

    /// <summary>Loads a model saved by <see cref="Save"/>, verifying it.</summary>
    /// <exception cref="ModelFileException">The file is missing, truncated, corrupted or not a TransferKit model.</exception>
    public static TrainedModel Load(string path)
    {
        var (network, metadata) = ModelFile.Load(path);
        return new TrainedModel(network, metadata);
    }

    /// <summary>Predicts the image file at <paramref name="path"/>.</summary>
    /// <exception cref="ImageDecodeException">The file is not a readable image.</exception>
    public Prediction Predict(string path) => Predict([ImageDecoder.Decode(path)])[0];

    /// <summary>Predicts an encoded image (JPEG, PNG, BMP, GIF) held in memory.</summary>
    public Prediction Predict(ReadOnlySpan<byte> encoded, string sourceName = "image") => Predict([ImageDecoder.Decode(encoded, sourceName)])[0];

    /// <summary>Predicts an encoded image read from <paramref name="stream"/>.</summary>
    public Prediction Predict(Stream stream, string sourceName = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Predict(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), sourceName);
    }

    /// <summary>Predicts several image files in one batch; a bad file fails the call with its name.</summary>
    public IReadOnlyList<Prediction> PredictBatch(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return Predict(paths.Select(p => ImageDecoder.Decode(p)).ToArray());
    }

    /// <summary>Predicts decoded images in one batch.</summary>
    public IReadOnlyList<Prediction> Predict(IReadOnlyList<DecodedImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0) return [];
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        using var precision = BFloat16Scope.Enter(EffectivePrecision == InferencePrecision.BFloat16);
        int s = _transform.OutputHeight, n = 3 * s * _transform.OutputWidth;
        var batch = Tensor.Empty(images.Count, 3, s, _transform.OutputWidth);
        for (int i = 0; i < images.Count; i++) _transform.Apply(images[i], batch.Span.Slice(i * n, n), TransformContext.Evaluation);
        var probabilities = Probabilities.From(Network.Forward(batch), Sigmoid).ToArray();
        var results = new Prediction[images.Count];
        int classes = ClassNames.Count;
        for (int i = 0; i < results.Length; i++)
        {
            float[] scores = Sigmoid ? [1 - probabilities[i], probabilities[i]] : probabilities.AsSpan(i * classes, classes).ToArray();
            int best = 0;
            for (int c = 1; c < classes; c++) if (scores[c] > scores[best]) best = c;
            results[i] = new Prediction(ClassNames[best], best, scores, ClassNames);
        }
        return results;
    }

    /// <summary>Accuracy, top-k, log-loss, confusion matrix, per-class metrics and (binary) ROC AUC over a labelled set; bad images are skipped.</summary>
    public ClassificationReport Evaluate(IImageDataset data, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(data);
        var evaluator = new ClassificationEvaluator(ClassNames);
        for (int start = 0; start < data.Count; start += batchSize)
        {
            var images = new List<DecodedImage>();
            var labels = new List<int>();
            for (int i = start; i < Math.Min(data.Count, start + batchSize); i++)
            {
                try
                {
                    images.Add(data.Decode(i));
                    labels.Add(data.GetLabel(i));
                }
                catch (ImageDecodeException)
                {
                    // Reported by the dataset scanner; evaluation scores the readable images.
                }
            }
            if (images.Count == 0) continue;
            var predictions = Predict(images);
            var flat = predictions.SelectMany(p => Sigmoid ? [p.Scores[1]] : p.Scores).ToArray();
            if (Sigmoid) evaluator.AddBinary(flat, labels.ToArray());
            else evaluator.Add(flat, labels.ToArray());
        }
        return evaluator.ToReport();
    }

    /// <summary>
    /// The network as a table: one row per unit and one for the head, with the output shape for one image at the
    /// model's input size and the parameter counts (print it: <c>Console.WriteLine(model.Summary())</c>).
    /// </summary>
    public NetworkSummary Summary() => NetworkSummary.Of(Network, Metadata.Preprocessing.InputSize);

    /// <summary>Releases the network.</summary>
    public void Dispose()
    {
        Folding.Dispose();
        Network.Dispose();
    }
}
