using System.Diagnostics;
using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Tensors;
using TransferKit.Weights;
using Xunit.Abstractions;

namespace TransferKit.Tests.Weights;

/// <summary>
/// Opt-in: set <c>TRANSFERKIT_PTH_PARITY=1</c>. Each case runs <c>/usr/bin/python3 tools/fixtures/make_pth_fixtures.py
/// --fullsize</c> into a temporary folder (torchvision 0.14's random init with randomised batch norm, saved by
/// <c>torch.save(model.state_dict())</c>, about 45 MB for resnet18), then loads the .pth strictly into the catalog network
/// through the loader <c>UsePretrainedWeights</c> uses, and compares eval logits with PyTorch's float64 ones to the
/// golden tolerance. The same file is identified as its architecture, and loading it into another one fails naming it.
/// </summary>
public class PyTorchFullSizeTests(ITestOutputHelper output)
{
    /// <summary>The environment variable that turns the test on.</summary>
    public const string Variable = "TRANSFERKIT_PTH_PARITY";

    public static TheoryData<string> Networks => new() { "resnet18", "mobilenet_v2" };

    private static ArchitectureInfo Resolve(string name) => name == "resnet18" ? Architectures.ResNet18 : Architectures.MobileNetV2;

    private static string Script()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tools", "fixtures", "make_pth_fixtures.py");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("tools/fixtures/make_pth_fixtures.py not found above the test folder.");
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void ATorchvisionPthLoadsAndMatchesTorchsLogits(string name)
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            output.WriteLine($"Skipped {name}: set {Variable}=1 (needs /usr/bin/python3 with torch and torchvision).");
            return;
        }
        using var folder = new TempFolder();
        var start = new ProcessStartInfo("/usr/bin/python3", [Script(), "--fullsize", folder.Path, name]) { RedirectStandardError = true };
        using (var python = Process.Start(start)!)
        {
            string errors = python.StandardError.ReadToEnd();
            python.WaitForExit();
            Assert.True(python.ExitCode == 0, $"fixture script failed: {errors}");
        }
        string pth = folder.File(name + ".pth");
        var info = Resolve(name);

        using var model = info.CreateImageNet();
        var report = WeightsLoader.Load(model, pth);
        Assert.Empty(report.Missing);
        model.Eval();
        model.SetTrainable(false);
        using (var io = SafetensorsFile.Open(folder.File(name + ".io.safetensors")))
        using (TensorScope.Begin())
        using (GradMode.NoGrad())
        {
            var expected = io.ReadTensor("logits");
            var logits = model.Forward(io.ReadTensor("input"));
            NumericAssert.Close(expected.ReadOnlySpan, logits.ReadOnlySpan, Tolerances.GoldenRelative, Tolerances.GoldenAbsolute, $"{name} logits from .pth");
        }

        var fits = ArchitectureIdentifier.Identify(pth);
        Assert.Contains(fits, f => f.Architecture.Name == info.Name && f.Head == HeadFit.Exact);
        var other = name == "resnet18" ? Architectures.MobileNetV2 : Architectures.ResNet18;
        using var wrong = other.CreateImageNet();
        var error = Assert.Throws<WeightsMismatchException>(() => WeightsLoader.Load(wrong, pth));
        Assert.Contains(error.FileFits!, f => f.Architecture.Name == info.Name);
        output.WriteLine($"{name}: {report.Loaded.Count} tensors loaded from {pth}; logits match PyTorch; identified as {fits[0].Describe()}.");
    }
}
