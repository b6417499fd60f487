using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TransferKit.Api;
using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Tensors;
using TransferKit.Tests.Models.Onnx;
using Tensor = TransferKit.Tensors.Tensor;
using Xunit.Sdk;

namespace TransferKit.Tests.Weights.Onnx.Export;

/// <summary>Wraps networks as trained models, exports them and compares ONNX Runtime's outputs with TransferKit's own.</summary>
internal static class OnnxExportHarness
{
    /// <summary>A trained model around <paramref name="network"/> (put in evaluation mode) with ImageNet normalisation and no resize.</summary>
    public static TrainedModel Wrap(ConvNet network, int inputSize, int classes, string architecture, HeadSpec? head = null,
        NormalizationSpec? normalization = null)
    {
        var metadata = new TransferKit.Api.ModelMetadata
        {
            Network = new NetworkBlueprint { Architecture = architecture, Classes = classes, Head = head, FeatureMapShape = [network.FeatureChannels, 1, 1] },
            ClassNames = Enumerable.Range(0, classes).Select(i => $"class \"{i}\" é").ToArray(),
            Preprocessing = new PreprocessingSpec(inputSize, inputSize, ResizeInterpolation.Bilinear, normalization ?? NormalizationSpec.ImageNet),
        };
        return new TrainedModel(network, metadata);
    }

    /// <summary>ORT's outputs by name for <paramref name="input"/> [N, 3, S, S].</summary>
    public static Dictionary<string, float[]> RunOrt(string path, float[] input, int[] dims)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(path, options);
        var tensor = new DenseTensor<float>(input, dims);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", tensor)]);
        return results.ToDictionary(r => r.Name, r => r.AsEnumerable<float>().ToArray());
    }

    /// <summary>TransferKit's logits and softmax probabilities for a normalised input.</summary>
    public static (float[] Logits, float[] Probabilities) Ours(TrainedModel model, float[] input, int[] dims)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        using var x = Tensor.FromSpan(input, new Shape(dims));
        var logits = model.Network.Forward(x);
        return (logits.ToArray(), Ops.Softmax(logits).ToArray());
    }

    /// <summary>
    /// Exports with a normalised input, then for batches of 1 and 3 checks ORT's logits and probabilities against the
    /// network's own to <see cref="Tolerances.OnnxRuntimeRelative"/>. Returns the export result.
    /// </summary>
    public static OnnxExportResult ExportAndCompare(TrainedModel model, string path, int opset = 13, int seed = 1)
    {
        var result = model.ExportOnnx(path, new OnnxExportOptions { IncludeNormalization = false, Opset = opset });
        int size = model.Metadata.Preprocessing.InputSize;
        foreach (int batch in (int[])[1, 3])
        {
            int[] dims = [batch, 3, size, size];
            var input = OnnxRuntimeOracle.RandomInput(seed + batch, dims);
            var ort = RunOrt(path, input, dims);
            var (logits, probabilities) = Ours(model, input, dims);
            AssertClose(logits, ort["logits"], $"logits, batch {batch}");
            if (logits.Length == batch * 1)
            {
                var expected = logits.SelectMany(z => new[] { 1f - Sigmoid(z), Sigmoid(z) }).ToArray();
                AssertClose(expected, ort["probabilities"], $"sigmoid probabilities, batch {batch}");
            }
            else
            {
                AssertClose(probabilities, ort["probabilities"], $"probabilities, batch {batch}");
            }
        }
        return result;
    }

    public static void AssertClose(float[] ours, float[] ort, string what)
    {
        double error = OnnxRuntimeOracle.MaxRelativeError(ours, ort);
        if (!(error <= Tolerances.OnnxRuntimeRelative))
            throw new XunitException($"{what}: ONNX Runtime differs from TransferKit by {error:E2} relative (limit {Tolerances.OnnxRuntimeRelative:E0}); first values ours [{string.Join(", ", ours.Take(4))}] vs ORT [{string.Join(", ", ort.Take(4))}].");
    }

    private static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));
}
