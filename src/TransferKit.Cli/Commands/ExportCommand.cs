using System.CommandLine;
using System.Globalization;
using TransferKit.Api;
using TransferKit.Cli.Output;
using TransferKit.Cli.Parsing;

namespace TransferKit.Cli.Commands;

/// <summary><c>transferkit export</c>: a trained model as an ONNX file for ONNX Runtime, ML.NET or any other runtime.</summary>
internal static class ExportCommand
{
    private const string Summary = "Write a trained model as ONNX (opset 13-18, dynamic batch, softmax output, class names inside).";

    private const string Details = """
        Writes the model as one .onnx file: input 'input', float32 [batch, 3, SIZE, SIZE] (NCHW, SIZE the model's input
        size), outputs 'probabilities' (softmax over the classes) and 'logits'. Batch norms are folded into their
        convolutions. By default the input is RGB pixel values 0-255 (what ML.NET's ExtractPixels gives) and the graph
        applies the model's normalisation; with --normalized-input it expects the normalised tensor instead. Resize and
        crop stay outside the graph: resize the shorter side to the model's resize size, then crop the centre, as the
        metadata (transferkit.resize_size, transferkit.input_size) says. The class names are in the metadata
        (transferkit.class_names, a JSON array). The file is written to a temporary name and renamed.

        Examples:
          transferkit export --model pets.safetensors --onnx pets.onnx
          transferkit export --model pets.safetensors --onnx pets.onnx --opset 17 --normalized-input
        """;

    /// <summary>Creates the command; its action writes through <paramref name="context"/>.</summary>
    public static (Command Command, string Details) Create(CliContext context)
    {
        var model = ModelOption.Create();
        var onnx = new Option<string>("--onnx") { Description = "The .onnx file to write (its folder must exist).", HelpName = "FILE", Required = true };
        var opset = CliOption.Create("--opset", "ONNX opset, 13 to 18.", Opset, OnnxExportOptions.MinimumOpset, "N");
        var normalized = new Option<bool>("--normalized-input") { Description = "The graph takes the normalised tensor, not 0-255 RGB pixels." };
        var command = new Command("export", Summary) { model, onnx, opset, normalized };
        command.SetAction(parse => Run(context, parse.GetRequiredValue(model), parse.GetRequiredValue(onnx), parse.GetValue(opset), parse.GetValue(normalized)));
        return (command, Details);
    }

    private static int Opset(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= OnnxExportOptions.MinimumOpset and <= OnnxExportOptions.MaximumOpset
            ? n
            : throw new FormatException($"expected an opset from {OnnxExportOptions.MinimumOpset} to {OnnxExportOptions.MaximumOpset}, got '{text}'.");

    private static int Run(CliContext context, string modelPath, string onnxPath, int opset, bool normalizedInput)
    {
        using var model = TrainedModel.Load(modelPath);
        var result = model.ExportOnnx(onnxPath, new OnnxExportOptions { Opset = opset, IncludeNormalization = !normalizedInput });
        var pre = model.Metadata.Preprocessing;
        var output = context.Out;
        output.WriteLine($"{result.Path}: {Numbers.Bytes(result.Bytes)}, opset {result.Opset}, {result.NodeCount} nodes");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"input: {result.InputName} float32 [batch, 3, {pre.InputSize}, {pre.InputSize}], {(normalizedInput ? "normalised" : "RGB 0-255, normalised in the graph")}; resize to {pre.ResizeSize} and crop {pre.InputSize} before"));
        output.WriteLine($"outputs: {string.Join(", ", result.OutputNames)} over {model.ClassNames.Count} classes: {string.Join(", ", model.ClassNames)}");
        return ExitCodes.Success;
    }
}
