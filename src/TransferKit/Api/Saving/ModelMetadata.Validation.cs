using System.Globalization;
using TransferKit.Models;
using TransferKit.Weights;
using TransferKit.Weights.Onnx;

namespace TransferKit.Api;

public sealed partial record ModelMetadata
{
    /// <summary>The most classes a model file may declare.</summary>
    public const int MaxClasses = 1_000_000;

    /// <summary>
    /// Checks every field: format and version; a known architecture with sane baseline channels; 2 to
    /// <see cref="MaxClasses"/> classes with as many non-empty, unique names; a valid head; a [C, h, w] feature map of
    /// positive sizes; the preprocessing (see <see cref="PreprocessingSpec.Validate"/>); a well-formed tensor checksum;
    /// notes without null values. Whether the head fits the tensors is checked by <see cref="ModelFile.Load"/>.
    /// </summary>
    /// <param name="path">The file, for the error message.</param>
    /// <exception cref="ModelFileException">A field is missing or out of range; the message names it.</exception>
    public void Validate(string path)
    {
        void Require(bool ok, string field, string reason)
        {
            if (!ok) throw new ModelFileException(path, $"its metadata field '{field}' {reason}.");
        }
        Require(Format == "transferkit.model", "format", $"is '{Format}', not 'transferkit.model': it is not a TransferKit model file");
        Require(Version <= CurrentVersion, "version", $"is {Version}: it was written by a newer TransferKit (this library reads up to {CurrentVersion})");
        Require(Version >= 1, "version", $"is {Version}, not a format version");
        ValidateNetwork(path, Require);
        Require(ClassNames is not null, "classNames", "is missing");
        Require(ClassNames!.Count == Network.Classes, "classNames", $"lists {ClassNames.Count} names for {Network.Classes} classes");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < ClassNames.Count; i++)
        {
            Require(!string.IsNullOrWhiteSpace(ClassNames[i]), $"classNames[{i}]", "is empty");
            Require(seen.Add(ClassNames[i]), $"classNames[{i}]", $"repeats the name '{ClassNames[i]}'");
        }
        Require(Preprocessing is not null, "preprocessing", "is missing");
        try
        {
            Preprocessing!.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ModelFileException(path, $"its metadata field 'preprocessing' is invalid: {e.Message}", e);
        }
        // Files before version 4 had no resize mode: they were all trained and evaluated with the centre crop.
        Require(Version >= 4 || Preprocessing.ResizeMode == ResizeMode.CenterCrop, "preprocessing.resizeMode",
            $"is {Preprocessing.ResizeMode} in a version {Version} file; resize modes are saved from version 4");
        Require(IntegrityChecksum.IsWellFormed(TensorChecksum), "tensorChecksum", "is not a SHA-256 in hex");
        Require(Notes is not null && Notes.Values.All(v => v is not null), "notes", "holds a null");
    }

    private void ValidateNetwork(string path, Action<bool, string, string> require)
    {
        var n = Network;
        require(n is not null, "network", "is missing");
        require(!string.IsNullOrEmpty(n!.Architecture), "network.architecture", "is empty");
        bool baseline = n.Architecture == NetworkBlueprint.BaselineCnnName;
        bool onnx = n.Architecture == NetworkBlueprint.OnnxName;
        require(onnx == (n.Onnx is not null), "network.onnx", onnx ? "is missing for architecture 'onnx'" : $"is given for architecture '{n.Architecture}'");
        if (onnx) ValidateOnnx(n.Onnx!, require);
        require(baseline || onnx || Architectures.All.Any(a => string.Equals(a.Name, n.Architecture, StringComparison.OrdinalIgnoreCase)),
            "network.architecture", $"names '{n.Architecture}', which is not in this library's catalog");
        if (baseline && n.BaselineChannels is { } channels)
        {
            require(channels.Count is >= 1 and <= 16, "network.baselineChannels", $"lists {channels.Count} blocks, not 1 to 16");
            for (int i = 0; i < channels.Count; i++)
                require(channels[i] is >= 1 and <= 8192, $"network.baselineChannels[{i}]", $"is {channels[i]}, not 1 to 8192");
        }
        require(n.Classes is >= 2 and <= MaxClasses, "network.classes", $"is {n.Classes}, not 2 to {MaxClasses}");
        require(n.FeatureMapShape is { Count: 3 }, "network.featureMapShape", "is not [C, h, w]");
        for (int i = 0; i < 3; i++)
            require(n.FeatureMapShape[i] is >= 1 and <= 65536, $"network.featureMapShape[{i}]", $"is {n.FeatureMapShape[i].ToString(CultureInfo.InvariantCulture)}, not 1 to 65536");
        if (n.Head is not { } head) return;
        ValidateHead(path, require, n, head);
    }

    private void ValidateHead(string path, Action<bool, string, string> require, NetworkBlueprint n, HeadSpec head)
    {
        require(Enum.IsDefined(head.Pooling), "network.head.pooling", "is not a known pooling");
        require(Enum.IsDefined(head.Output), "network.head.output", "is not a known output");
        require(head.HiddenLayers is not null && head.HiddenLayers.All(h => h is not null), "network.head.hiddenLayers", "holds a null");
        for (int i = 0; i < head.HiddenLayers!.Count; i++)
            require(Enum.IsDefined(head.HiddenLayers[i].Activation), $"network.head.hiddenLayers[{i}].activation", "is not a known activation");
        try
        {
            head.Validate(n.Classes);
        }
        catch (ArgumentException e)
        {
            throw new ModelFileException(path, $"its metadata field 'network.head' is invalid: {e.Message}", e);
        }
    }

    /// <summary>The graph's shape; whether it imports, and fits the tensors, is checked by <see cref="ModelFile.Load"/>.</summary>
    private void ValidateOnnx(OnnxBlueprint onnx, Action<bool, string, string> require)
    {
        require(Version >= 3, "network.onnx", $"appears in a version {Version} file; ONNX backbones are saved from version 3");
        require(onnx.OpsetImports is not null, "network.onnx.opsetImports", "is missing");
        require(!string.IsNullOrEmpty(onnx.FeatureOutput), "network.onnx.featureOutput", "is empty");
        require(onnx.InputSize is >= 1 and <= 65536, "network.onnx.inputSize", $"is {onnx.InputSize}, not 1 to 65536");
        var g = onnx.Graph;
        require(g is not null, "network.onnx.graph", "is missing");
        require(g!.Nodes is not null && g.Nodes.Count > 0, "network.onnx.graph.nodes", "is empty");
        for (int i = 0; i < g.Nodes!.Count; i++)
        {
            var node = g.Nodes[i];
            require(node is not null && node.Inputs is not null && node.Outputs is not null && node.Attributes is not null
                && node.Attributes.Values.All(a => a is not null), $"network.onnx.graph.nodes[{i}]", "is incomplete");
        }
        require(g.Inputs is not null && g.Outputs is not null && g.Initializers is not null, "network.onnx.graph", "lacks inputs, outputs or initializers");
        foreach (var (name, t) in g.Initializers!)
        {
            require(t is not null && t.Dims is not null && t.Dims.All(d => d >= 0), $"network.onnx.graph.initializers.{name}", "has no valid dims");
            bool leftOut = t!.Floats is null && t.Integers is null;
            require(!leftOut || t.DataType is OnnxDataType.Float, $"network.onnx.graph.initializers.{name}", "has no values and is not a float weight");
            require(leftOut || (t.Floats?.LongLength ?? t.Integers!.LongLength) == t.Dims!.Aggregate(1.0, (a, d) => a * d),
                $"network.onnx.graph.initializers.{name}", "holds a different number of values than its dims");
        }
    }
}
