using System.Reflection;
using TransferKit.Models.Onnx;
using TransferKit.Weights.Onnx;
using Xunit.Abstractions;

namespace TransferKit.Tests.Models.Onnx;

/// <summary>
/// ML.NET's real ImageNet ResNet-18 (NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0, a CNTK export at opset 8 with every
/// weight in float_data, asymmetric stem pads and BN with <c>spatial</c>) imports, matches ONNX Runtime, and its preprocessing
/// graph gives the channel means of <see cref="OnnxPreprocessing.MlNetResNet18"/>.
/// </summary>
public class MlNetResNet18Tests(ITestOutputHelper output)
{
    internal static string ModelsFolder => typeof(MlNetResNet18Tests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "MlNetDnnImageModels").Value!;

    private static string ResNet18 => Path.Combine(ModelsFolder, "ResNet18Onnx", "ResNet18.onnx");

    [Fact]
    public void ImportsAndMatchesOnnxRuntime()
    {
        using var network = OnnxNetwork.Load(ResNet18);
        network.Eval();
        // The file's initializers less the BN statistics, counted with python3-onnx (CNTK's ResNet-18 is wider than torchvision's).
        Assert.Equal(15_897_152, network.ParameterCount());
        Assert.Equal(11_648, network.NamedBuffers().Sum(kv => kv.Value.Length));
        int[] dims = [1, 3, 224, 224];
        var input = OnnxRuntimeOracle.RandomInput(18, dims, scale: 120f);
        var expected = OnnxRuntimeOracle.Run(ResNet18, input, dims);
        var ours = OnnxRuntimeOracle.Ours(network, input, dims);
        double error = OnnxRuntimeOracle.MaxRelativeError(ours, expected);
        output.WriteLine($"ML.NET ResNet-18: {ours.Length} features, max relative error {error:G3} vs ONNX Runtime; output {network.OutputName}");
        Assert.Equal(512, ours.Length);
        Assert.True(error <= Tolerances.OnnxRuntimeRelative, $"max relative error {error:G3}");
    }

    [Fact]
    public void PreprocessingMeansAreTheMeanImagesChannelMeans()
    {
        var model = OnnxModel.Load(Path.Combine(ModelsFolder, "ResNetPrepOnnx", "ResNetPreprocess.onnx"));
        var mean = model.Graph.Initializers["MeanImage"];
        Assert.Equal([1L, 3, 224, 224], mean.Dims);
        var spec = OnnxPreprocessing.MlNetResNet18.Normalization;
        int plane = 224 * 224;
        for (int c = 0; c < 3; c++)
        {
            double average = mean.Floats!.Skip(c * plane).Take(plane).Average();
            output.WriteLine($"channel {c} (BGR): mean image average {average:F3}, spec {spec.Mean[c]}");
            Assert.Equal(average, spec.Mean[c], 0.01);
        }
    }
}
