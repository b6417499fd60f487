using System.CommandLine;
using System.Globalization;
using TransferKit.Api;
using TransferKit.Cli.Output;
using TransferKit.Models;
using TransferKit.Models.Onnx;
using TransferKit.Weights;

namespace TransferKit.Cli.Commands;

/// <summary><c>transferkit inspect</c>: what is inside a safetensors file or a PyTorch checkpoint, and which catalog architecture it fits.</summary>
internal static class InspectCommand
{
    /// <summary>The metadata key under which a TransferKit model keeps its description.</summary>
    private const string ModelMetadataKey = "transferkit";

    private const string Summary = "Show a weights file's tensors, parameters and metadata, and which architectures it fits.";

    private const string Details = """
        Lists every tensor (name, dtype, shape), counts the parameters (BatchNorm running statistics apart), shows the
        metadata (for a model written by 'transferkit train': its architecture, classes, head and preprocessing), and
        names the catalog architectures whose keys and shapes the file has: exactly, with the head missing (a
        backbone), or with another head (other classes). Nothing but the header is read, so large files are quick.
        A PyTorch checkpoint (.pth/.pt written by torch.save since PyTorch 1.6) is read without running its pickle; the
        format is told by the file's content, not its extension.

        Examples:
          transferkit inspect resnet50.safetensors
          transferkit inspect pets.safetensors --summary
          transferkit inspect resnet18-f37072fd.pth
        """;

    /// <summary>Creates the command; its action writes through <paramref name="context"/>.</summary>
    public static (Command Command, string Details) Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "A .safetensors weights or model file, or a PyTorch .pth/.pt checkpoint." };
        var summary = new Option<bool>("--summary") { Description = "Leave out the list of tensors." };
        var command = new Command("inspect", Summary) { file, summary };
        command.SetAction(parse => Run(context, parse.GetRequiredValue(file), parse.GetValue(summary)));
        return (command, Details);
    }

    private static int Run(CliContext context, string path, bool summary)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"{full}: the file does not exist.", full);
        var output = context.Out;
        switch (WeightsFiles.Detect(full))
        {
            case WeightsFileFormat.PyTorchLegacy:
                throw new PickleWeightsException(full, PickleEvidence.PickleStream);
            case WeightsFileFormat.PyTorchZip:
                using (var checkpoint = PyTorchCheckpoint.Open(full))
                {
                    WriteTensors(output, full, checkpoint.Headers, summary);
                    output.WriteLine();
                    output.WriteLine(checkpoint.StateDictKey is { } key
                        ? $"PyTorch checkpoint (read without running pickle): the state_dict is the entry '{key}'"
                        : "PyTorch checkpoint (read without running pickle)");
                    WriteFits(output, checkpoint.Headers);
                }
                return ExitCodes.Success;
            case WeightsFileFormat.Onnx:
                WriteOnnx(output, full);
                return ExitCodes.Success;
        }
        using var file = SafetensorsFile.Open(full);
        WriteTensors(output, full, file.Tensors, summary);
        WriteMetadata(output, file);
        WriteFits(output, file.Tensors);
        return ExitCodes.Success;
    }

    /// <summary>An ONNX model is a whole backbone: its units and features as training would cut them, and how to train on it.</summary>
    private static void WriteOnnx(TextWriter output, string full)
    {
        var entry = PretrainedBackbones.ForFile(full);
        var info = OnnxBackbone.Load(full, entry?.Options ?? new OnnxBackboneOptions());
        output.WriteLine($"{full}: ONNX model{(entry is null ? "" : $" ({entry.Name}: {info.Name})")}");
        output.WriteLine($"  units     {string.Join(", ", info.Units)}");
        output.WriteLine($"  features  {info.FeatureDimension} pooled channels; {Numbers.Count(info.ParameterCountWithoutHead)} parameters without the classifier");
        output.WriteLine();
        output.WriteLine($"fits: it is the backbone itself; train with --weights {(entry?.Name ?? Path.GetFileName(full))} and no --arch");
    }

    private static void WriteTensors(TextWriter output, string full, IReadOnlyList<SafetensorsTensorInfo> tensors, bool summary)
    {
        long parameters = tensors.Where(t => !t.IsBatchNormStatistic).Sum(t => t.ElementCount);
        long statistics = tensors.Where(t => t.IsBatchNormStatistic).Sum(t => t.ElementCount);
        string dtypes = string.Join(", ", tensors.Select(t => t.DType.ToString()).Distinct());

        output.WriteLine($"{full}: {Numbers.Bytes(new FileInfo(full).Length)}, {tensors.Count} tensors ({(dtypes.Length > 0 ? dtypes : "none")})");
        output.WriteLine($"parameters: {Numbers.Count(parameters)}" + (statistics > 0 ? $" (and {Numbers.Count(statistics)} BatchNorm running statistics)" : ""));
        if (!summary && tensors.Count > 0)
        {
            output.WriteLine();
            var table = new TextTable("tensor", "dtype", "shape", ">elements");
            foreach (var t in tensors.OrderBy(t => t.Begin)) table.Add(t.Name, t.DType.ToString(), t.ShapeText, Numbers.Count(t.ElementCount));
            table.WriteTo(output);
        }
    }

    private static void WriteFits(TextWriter output, IReadOnlyList<SafetensorsTensorInfo> tensors)
    {
        output.WriteLine();
        var fits = ArchitectureIdentifier.Identify(tensors);
        if (fits.Count == 0)
        {
            output.WriteLine("fits: no catalog architecture (neither exactly, nor with the head missing or replaced)");
        }
        else
        {
            foreach (var fit in fits) output.WriteLine($"fits: {fit.Describe()}");
        }
    }

    private static void WriteMetadata(TextWriter output, SafetensorsFile file)
    {
        var others = file.Metadata.Where(kv => kv.Key != ModelMetadataKey).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        if (others.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("metadata:");
            foreach (var (key, value) in others) output.WriteLine($"  {key}: {ErrorHandler.OneLine(value)}");
        }
        if (!file.Metadata.TryGetValue(ModelMetadataKey, out string? json)) return;

        var meta = ModelMetadata.FromJson(json, file.Path);
        var network = meta.Network;
        var p = meta.Preprocessing;
        output.WriteLine();
        output.WriteLine($"TransferKit model (format version {meta.Version}):");
        var rows = new List<(string, string)>
        {
            ("architecture", network.Architecture + (network.BaselineChannels is { } channels ? $" (channels {string.Join(",", channels)})" : "")),
            ("classes", $"{meta.ClassNames.Count}: {string.Join(", ", meta.ClassNames)}"),
            ("head", network.Head?.Describe(network.Classes) ?? "the architecture's own"),
            ("feature map", $"[{string.Join(", ", network.FeatureMapShape)}]"),
            ("preprocessing", string.Create(CultureInfo.InvariantCulture,
                $"{p.InputSize} px, {(p.ResizeMode == ResizeMode.Stretch ? "stretched whole (no crop)" : $"resize {p.ResizeSize}")} {p.Interpolation.ToString().ToLowerInvariant()}, mean [{string.Join(", ", p.Normalization.Mean)}], std [{string.Join(", ", p.Normalization.Std)}]")),
        };
        // The notes repeat the head; the spec above says it already.
        rows.AddRange(meta.Notes.Where(kv => kv.Key != "head").OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value)));
        int width = rows.Max(r => r.Item1.Length);
        foreach (var (name, value) in rows) output.WriteLine($"  {name.PadRight(width)}  {value}");
    }
}
