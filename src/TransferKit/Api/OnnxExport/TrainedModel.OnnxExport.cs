using System.Globalization;
using System.Text;
using System.Text.Json;
using TransferKit.Models;
using TransferKit.Reporting;
using TransferKit.Weights.Onnx;
using TransferKit.Weights.Onnx.Export;

namespace TransferKit.Api;

public sealed partial class TrainedModel
{
    /// <summary>Metadata key of the class names, a JSON array in class-index order.</summary>
    public const string OnnxClassNamesKey = "transferkit.class_names";

    /// <summary>
    /// Writes this model as an ONNX file that ONNX Runtime or ML.NET's <c>ApplyOnnxModel</c> can run: input "input", float32
    /// [batch, 3, InputSize, InputSize] NCHW with a dynamic batch; outputs "probabilities" [batch, classes] (softmax; for a
    /// sigmoid head [1 - p, p]) and "logits". Batch norms are folded into the neighbouring convolution or linear layer.
    /// With <see cref="OnnxExportOptions.IncludeNormalization"/> the input is RGB values in [0, 255] and the graph
    /// normalises them as <see cref="ModelMetadata.Preprocessing"/> says; resizing and cropping stay outside the graph and
    /// are recorded in the metadata (keys in docs/onnx-export.md). The file is written to a temporary name and renamed.
    /// </summary>
    /// <param name="path">Target .onnx path; its folder must exist. An existing file is replaced.</param>
    /// <param name="options">Opset and input contract; defaults when null.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it).</exception>
    /// <exception cref="OnnxExportException">The network runs an op with no ONNX form, or the file cannot be written; no file is left at <paramref name="path"/>.</exception>
    public OnnxExportResult ExportOnnx(string path, OnnxExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new OnnxExportOptions();
        options.Validate();
        string full = Path.GetFullPath(path);
        var pre = Metadata.Preprocessing;
        OnnxModel model;
        try
        {
            model = NetworkOnnxExporter.Build(Network, pre.InputSize, options.IncludeNormalization ? pre.Normalization : null, Sigmoid,
                options.Opset, OnnxMetadata(options));
        }
        catch (OnnxExportFailure e)
        {
            throw new OnnxExportException(full, e.Message, e);
        }
        byte[] bytes = OnnxModelWriter.Write(model);
        try
        {
            AtomicFile.Write(full, stream => stream.Write(bytes));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OnnxExportException(full, $"the file cannot be written ({e.Message}).", e);
        }
        return new OnnxExportResult(full, options.Opset, model.Graph.Nodes.Count, NetworkOnnxExporter.InputName,
            [NetworkOnnxExporter.ProbabilitiesName, NetworkOnnxExporter.LogitsName], bytes.Length);
    }

    private Dictionary<string, string> OnnxMetadata(OnnxExportOptions options)
    {
        var pre = Metadata.Preprocessing;
        var n = pre.Normalization;
        var inv = CultureInfo.InvariantCulture;
        var props = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [OnnxClassNamesKey] = JsonArray(ClassNames),
            ["transferkit.class_count"] = ClassNames.Count.ToString(inv),
            ["transferkit.architecture"] = Metadata.Network.Architecture,
            ["transferkit.version"] = LibraryVersion.Current,
            ["transferkit.output"] = Sigmoid ? "sigmoid" : "softmax",
            ["transferkit.input_size"] = pre.InputSize.ToString(inv),
            ["transferkit.resize_size"] = pre.ResizeSize.ToString(inv),
            ["transferkit.interpolation"] = pre.Interpolation.ToString().ToLowerInvariant(),
            ["transferkit.input"] = options.IncludeNormalization ? "rgb_0_255" : "normalized",
            ["transferkit.normalization"] = string.Create(inv,
                $"channels {n.ChannelOrder.ToString().ToUpperInvariant()}; x = (pixel / {n.Scale:R} - mean) / std; mean [{string.Join(", ", n.Mean.Select(v => v.ToString("R", inv)))}]; std [{string.Join(", ", n.Std.Select(v => v.ToString("R", inv)))}]"),
            ["transferkit.preprocessing"] = JsonSerializer.Serialize(pre, ModelJsonContext.Default.PreprocessingSpec),
        };
        for (int i = 0; i < ClassNames.Count; i++) props[$"transferkit.class.{i.ToString(inv)}"] = ClassNames[i];
        return props;
    }

    private static string JsonArray(IReadOnlyList<string> values)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            foreach (string v in values) writer.WriteStringValue(v);
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
