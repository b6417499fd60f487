using System.Diagnostics;
using TransferKit.Models.Onnx;
using Xunit.Abstractions;

namespace TransferKit.Tests.Models.Onnx;

/// <summary>
/// Opt-in: set <c>TRANSFERKIT_ONNX_FULL=1</c>. Exports torchvision's resnet18, resnet50, mobilenet_v2, efficientnet_b0, densenet121
/// and inception_v3 (random weights, randomised BN, opset 13, dynamic batch) with /usr/bin/python3 into
/// <c>TRANSFERKIT_ONNX_FULL_DIR</c> (default: a folder under the temporary directory, never in the repository), imports each
/// and compares a batch of two with ONNX Runtime to 1e-4 relative. Without the variable each case returns at once and says so.
/// </summary>
public class OnnxFullSizeParityTests(ITestOutputHelper output)
{
    public const string Variable = "TRANSFERKIT_ONNX_FULL";

    public static TheoryData<string, int> Networks => new()
    {
        { "resnet18", 224 }, { "resnet50", 224 }, { "mobilenet_v2", 224 }, { "efficientnet_b0", 224 }, { "densenet121", 224 }, { "inception_v3", 299 },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void MatchesOnnxRuntime(string name, int size)
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            output.WriteLine($"Skipped {name}: set {Variable}=1 to export and compare the full-size networks.");
            return;
        }
        string folder = Environment.GetEnvironmentVariable(Variable + "_DIR") is { Length: > 0 } d ? d : Path.Combine(Path.GetTempPath(), "transferkit-onnx-full");
        string path = Path.Combine(folder, name + ".onnx");
        if (!File.Exists(path)) Export(folder);

        using var network = OnnxNetwork.Load(path);
        network.Eval();
        int[] dims = [2, 3, size, size];
        var input = OnnxRuntimeOracle.RandomInput(name.Length, dims, scale: 2f);
        var expected = OnnxRuntimeOracle.Run(path, input, dims);
        var ours = OnnxRuntimeOracle.Ours(network, input, dims);
        double error = OnnxRuntimeOracle.MaxRelativeError(ours, expected);
        output.WriteLine($"{name}: max relative error {error:G3} over {ours.Length} logits; {network.StepCount} steps, {network.FoldedCount} folded");
        Assert.True(error <= Tolerances.OnnxRuntimeRelative, $"{name}: max relative error {error:G3}");
    }

    private static void Export(string folder)
    {
        string script = Path.Combine(RepositoryPaths.Root, "tools", "fixtures", "make_onnx_fixtures.py");
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-W", "ignore", script, "--full", folder]) { RedirectStandardError = true })!;
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{script} failed: {errors}");
    }
}
