using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Models.Inference;
using TransferKit.Tensors;
using TransferKit.Weights;
using Xunit.Abstractions;

namespace TransferKit.Tests.Models;

/// <summary>
/// Opt-in parity of whole full-size networks with torchvision: set <c>TRANSFERKIT_FULLSIZE_FIXTURES</c> to the folder
/// written by <c>tools/fixtures/make_fullsize_fixtures.py</c> (about 230 MB, not committed). Each network loads the
/// random-weight checkpoint strictly, and its eval logits must match PyTorch's to 1e-4 relative to their magnitude,
/// unfolded and with batch norm folded. Without the variable each case returns at once and says so.
/// </summary>
public class FullSizeParityTests(ITestOutputHelper output)
{
    /// <summary>The environment variable naming the fixture folder.</summary>
    public const string FolderVariable = "TRANSFERKIT_FULLSIZE_FIXTURES";

    public static TheoryData<string> Networks => new() { "resnet50", "mobilenet_v2", "efficientnet_b0", "inception_v3" };

    /// <summary>The catalog entry of a torchvision builder name; null for architectures this build does not contain.</summary>
    private static ArchitectureInfo? Resolve(string name) => name switch
    {
        "inception_v3" => Architectures.InceptionV3,
        "resnet50" => Architectures.ResNet50,
        "mobilenet_v2" => Architectures.MobileNetV2,
        "efficientnet_b0" => Architectures.EfficientNetB0,
        _ => null,
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void EvalLogitsMatchTorchvision(string name)
    {
        string? folder = Environment.GetEnvironmentVariable(FolderVariable);
        if (string.IsNullOrEmpty(folder))
        {
            output.WriteLine($"Skipped {name}: set {FolderVariable} to the folder written by tools/fixtures/make_fullsize_fixtures.py.");
            return;
        }
        var info = Resolve(name);
        if (info is null)
        {
            output.WriteLine($"Skipped {name}: this build has no catalog entry for it.");
            return;
        }

        using var model = info.CreateImageNet();
        using (var weights = SafetensorsFile.Open(Path.Combine(folder, name + ".safetensors")))
        {
            var own = model.StateDict();
            Assert.Equal(own.Keys.Order(StringComparer.Ordinal), weights.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
            foreach (var (key, tensor) in own) weights.ReadInto(key, tensor);
        }
        model.Eval();
        model.SetTrainable(false);

        using var io = SafetensorsFile.Open(Path.Combine(folder, name + ".io.safetensors"));
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var input = io.ReadTensor("input");
        var expected = io.ReadTensor("logits");
        var logits = model.Forward(input);
        NumericAssert.Close(expected.ReadOnlySpan, logits.ReadOnlySpan, Tolerances.GoldenRelative, Tolerances.GoldenAbsolute, $"{name} eval logits");

        using (var folding = BatchNormFolding.Fold(model))
        {
            var folded = model.Forward(input);
            NumericAssert.Close(expected.ReadOnlySpan, folded.ReadOnlySpan, Tolerances.GoldenRelative, Tolerances.GoldenAbsolute, $"{name} folded eval logits");
            output.WriteLine($"{name}: {folding.PairCount} conv/BN pairs folded; logits match PyTorch unfolded and folded.");
        }
    }
}
