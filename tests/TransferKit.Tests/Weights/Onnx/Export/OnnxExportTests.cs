using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using TransferKit.Api;
using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Models;
using TransferKit.Models.Inception;
using TransferKit.Models.Inference;
using TransferKit.Models.Onnx;
using TransferKit.Data.Decoding;
using TransferKit.Nn;
using TransferKit.Tensors;
using TransferKit.Tests.Models.Inception;
using TransferKit.Tests.Models.Onnx;
using TransferKit.Weights.Onnx;
using Tensor = TransferKit.Tensors.Tensor;

namespace TransferKit.Tests.Weights.Onnx.Export;

/// <summary>
/// ONNX export checked by ONNX Runtime 1.32: every catalog family (tiny widths, formula weights and batch-norm statistics
/// so no norm is the identity), an imported ONNX backbone and the head kinds give TransferKit's logits and probabilities
/// to 1e-4 at batch 1 and 3; the input contract, metadata and atomic write hold.
/// </summary>
public sealed class OnnxExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-onnx-export-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathFor(string name) => Path.Combine(_dir, name + ".onnx");

    /// <summary>Tiny members of each catalog family with their input size.</summary>
    public static TheoryData<string> Families => new()
    {
        "resnet_basic", "resnet_bottleneck", "mobilenet_v2", "mobilenet_v3", "efficientnet", "vgg", "densenet", "baseline_cnn",
    };

    private static (ConvNet Network, int Size) Create(string family) => family switch
    {
        "resnet_basic" => (new ResNet(new ResNetConfig(ResNetBlockKind.Basic, [1, 1, 1, 1], Width: 4), classes: 5), 32),
        "resnet_bottleneck" => (new ResNet(new ResNetConfig(ResNetBlockKind.Bottleneck, [2, 1, 1, 1], Width: 4), classes: 5), 32),
        "mobilenet_v2" => (new MobileNetV2(new MobileNetV2Options
        {
            WidthMultiplier = 0.25, Stages = [new(1, 16, 1, 1), new(6, 24, 2, 2), new(6, 32, 2, 2)], Classes = 4,
        }), 32),
        "mobilenet_v3" => (new MobileNetV3(new MobileNetV3Options
        {
            Blocks =
            [
                new(16, 3, 16, 16, true, false, 2),
                new(16, 3, 64, 24, false, false, 2),
                new(24, 5, 72, 40, true, true, 2),
                new(40, 3, 120, 48, true, true, 1, Dilation: 2),
            ],
            WidthMultiplier = 0.5, LastChannel = 96, Classes = 4,
        }), 32),
        "efficientnet" => (new EfficientNet(new EfficientNetOptions
        {
            Stages = [new(1, 3, 1, 32, 16, 1), new(6, 3, 2, 16, 24, 1), new(6, 5, 2, 24, 40, 1)], WidthMultiplier = 0.5, DepthMultiplier = 1.5, Classes = 3,
        }), 32),
        // 32 px leaves an 8 x 8 map that the 7 x 7 adaptive pool bins unevenly.
        "vgg" => (new Vgg(new VggConfig([[4], [8, 8]], HiddenFeatures: 12, Dropout: 0.5f), classes: 3), 32),
        "densenet" => (new DenseNet(new DenseNetConfig(GrowthRate: 4, BlockConfig: [2, 3], InitFeatures: 8, BottleneckSize: 2), classes: 3), 32),
        "baseline_cnn" => (new BaselineCnn(new BaselineCnnOptions { Channels = [8, 16], Classes = 3 }), 32),
        _ => throw new ArgumentException(family),
    };

    private static TrainedModel Randomised(string family)
    {
        var (network, size) = Create(family);
        FormulaWeights.Fill(network);
        int classes = network.Head.NamedParameters().Last().Value.Value.Shape[0];
        return OnnxExportHarness.Wrap(network, size, classes, family);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void EachCatalogFamilyMatchesOnnxRuntimeAtBatchOneAndThree(string family)
    {
        using var model = Randomised(family);
        var result = OnnxExportHarness.ExportAndCompare(model, PathFor(family));
        Assert.Equal(13, result.Opset);
        Assert.Equal("input", result.InputName);
        Assert.Equal(["probabilities", "logits"], result.OutputNames);
        var written = OnnxModel.Load(result.Path);
        Assert.Equal(result.NodeCount, written.Graph.Nodes.Count);
        // Batch norms are folded: none is left as a node, and none after a convolution stays a multiply-add. DenseNet's
        // pre-activation norms (BN, ReLU, conv: five norm1, the transition and norm5) have no neighbour to fold into.
        Assert.DoesNotContain(written.Graph.Nodes, n => n.OpType == "BatchNormalization");
        int affine = written.Graph.Initializers.Keys.Count(k => k.StartsWith("bn_scale", StringComparison.Ordinal));
        Assert.Equal(family == "densenet" ? 5 + 1 + 1 : 0, affine);
    }

    [Fact]
    public void InceptionV3AtItsSmallestInputMatchesOnnxRuntime()
    {
        var network = new InceptionV3(new InceptionV3Options { Classes = 3 });
        FormulaWeights.Fill(network);
        using var model = OnnxExportHarness.Wrap(network, 75, 3, "inception_v3");
        OnnxExportHarness.ExportAndCompare(model, PathFor("inception"));
    }

    [Theory]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(18)]
    public void ResNetWithItsBatchNormsFoldedForInferenceExportsTheFusedResidualPath(int opset)
    {
        // A model predicts with its pairs folded, running Conv2dActivation (conv + bias + residual add + ReLU in one kernel);
        // the trace must see all four.
        using var model = Randomised("resnet_basic");
        Assert.Equal(model.Folding.PairCount, model.Folding.ActivePairCount);
        Assert.True(model.Folding.PairCount > 0);
        var result = OnnxExportHarness.ExportAndCompare(model, PathFor("resnet_folded"), opset);
        Assert.Equal(opset, result.Opset);
        var graph = OnnxModel.Load(result.Path).Graph;
        Assert.Equal(4, graph.Nodes.Count(n => n.OpType == "Add"));
    }

    [Fact]
    public void MobileNetV3WithFoldedNormsExportsHardswishAtOpset13And14()
    {
        using var model = Randomised("mobilenet_v3");
        Assert.Equal(model.Folding.PairCount, model.Folding.ActivePairCount);
        OnnxExportHarness.ExportAndCompare(model, PathFor("v3_13"), 13);
        Assert.DoesNotContain(OnnxModel.Load(PathFor("v3_13")).Graph.Nodes, n => n.OpType == "HardSwish");
        OnnxExportHarness.ExportAndCompare(model, PathFor("v3_14"), 14);
        Assert.Contains(OnnxModel.Load(PathFor("v3_14")).Graph.Nodes, n => n.OpType == "HardSwish");
    }

    /// <summary>The ONNX fixtures as backbones: pads, clips, hard sigmoids, leaky ReLUs, pools, legacy opset 8 and their own batch norms.</summary>
    [Theory]
    [InlineData("residual", 24)]
    [InlineData("convs", 20)]
    [InlineData("pools", 15)]
    [InlineData("legacy_opset8", 17)]
    public void AnImportedOnnxBackboneWithANewHeadMatchesOnnxRuntime(string fixture, int size)
    {
        var network = OnnxBackbone.Create(OnnxModel.Load(Path.Combine(OnnxRuntimeOracle.FixtureFolder, fixture + ".onnx")),
            new OnnxBackboneOptions(), 3, 1);
        using var model = OnnxExportHarness.Wrap(network, size, 3, NetworkBlueprint.OnnxName);
        OnnxExportHarness.ExportAndCompare(model, PathFor("imported_" + fixture));
    }

    [Fact]
    public void MlNetsImageNetResNet18AsABackboneMatchesOnnxRuntime()
    {
        var info = OnnxBackbone.Load(Path.Combine(MlNetResNet18Tests.ModelsFolder, "ResNet18Onnx", "ResNet18.onnx"),
            new OnnxBackboneOptions { Name = "mlnet_resnet18", Preprocessing = OnnxPreprocessing.MlNetResNet18 });
        using var model = OnnxExportHarness.Wrap(info.Create(3, 0), 224, 3, NetworkBlueprint.OnnxName);
        OnnxExportHarness.ExportAndCompare(model, PathFor("mlnet_resnet18"), opset: 17);
    }

    [Fact]
    public void HeadsWithFlattenHiddenBatchNormAndDropoutFoldAndMatch()
    {
        var (network, size) = Create("resnet_basic");
        FormulaWeights.Fill(network);
        var spec = HeadSpec.Flattened().Hidden(12, 6).BatchNorm().Dropout(0.5f);
        var head = new ClassifierHead(spec, network.FeatureChannels, 1, 1, 4, new Random(3));
        RandomiseNorms(head);
        network.ReplaceHead(head);
        using var model = OnnxExportHarness.Wrap(network, size, 4, "resnet_basic", spec);
        var result = OnnxExportHarness.ExportAndCompare(model, PathFor("head_bn"));
        var graph = OnnxModel.Load(result.Path).Graph;
        Assert.Equal(3, graph.Nodes.Count(n => n.OpType == "Gemm"));
        Assert.DoesNotContain(graph.Initializers.Keys, k => k.StartsWith("bn_scale", StringComparison.Ordinal));
    }

    [Fact]
    public void SigmoidHeadWithConcatPoolingGivesTwoScoresAsPredict()
    {
        var (network, size) = Create("mobilenet_v2");
        FormulaWeights.Fill(network);
        var spec = HeadSpec.Pooled(HeadPooling.Concat).Hidden(8).BatchNorm().Activation(ActivationKind.Identity).WithOutput(HeadOutput.Sigmoid);
        var head = new ClassifierHead(spec, network.FeatureChannels, 1, 1, 2, new Random(5));
        RandomiseNorms(head);
        network.ReplaceHead(head);
        using var model = OnnxExportHarness.Wrap(network, size, 2, "mobilenet_v2", spec);
        OnnxExportHarness.ExportAndCompare(model, PathFor("sigmoid"));
        AssertPredictMatchesOrt(model, PathFor("sigmoid_pixels"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WithNormalizationInTheGraphRawPixelsGiveTheScoresOfPredict(bool caffe)
    {
        var (network, size) = Create("densenet");
        FormulaWeights.Fill(network);
        using var model = OnnxExportHarness.Wrap(network, size, 3, "densenet", normalization: caffe ? NormalizationSpec.Caffe : null);
        AssertPredictMatchesOrt(model, PathFor("pixels"));
    }

    /// <summary>Exports with the default (0-255 RGB input) contract and compares ORT with <see cref="TrainedModel.Predict(IReadOnlyList{DecodedImage})"/>.</summary>
    private static void AssertPredictMatchesOrt(TrainedModel model, string path)
    {
        var result = model.ExportOnnx(path);
        Assert.Equal(13, result.Opset);
        int size = model.Metadata.Preprocessing.InputSize;
        var random = new Random(4);
        var images = Enumerable.Range(0, 3).Select(_ =>
        {
            var pixels = new byte[size * size * 3];
            random.NextBytes(pixels);
            return new DecodedImage(size, size, pixels);
        }).ToArray();
        var planar = new float[images.Length * 3 * size * size];
        for (int i = 0; i < images.Length; i++)
            for (int p = 0; p < size * size; p++)
                for (int c = 0; c < 3; c++)
                    planar[(((i * 3) + c) * size * size) + p] = images[i].Pixels[(p * 3) + c];
        var ort = OnnxExportHarness.RunOrt(path, planar, [images.Length, 3, size, size]);
        var expected = model.Predict(images).SelectMany(p => p.Scores).ToArray();
        OnnxExportHarness.AssertClose(expected, ort["probabilities"], "probabilities from 0-255 pixels vs Predict");
    }

    [Fact]
    public void MetadataHoldsClassNamesInputSizeAndNormalisation()
    {
        using var model = Randomised("baseline_cnn");
        string path = PathFor("metadata");
        model.ExportOnnx(path);
        using var session = new InferenceSession(path);
        var props = session.ModelMetadata.CustomMetadataMap;
        var names = JsonSerializer.Deserialize<string[]>(props[TrainedModel.OnnxClassNamesKey]);
        Assert.Equal(model.ClassNames, names);
        Assert.Equal(model.ClassNames[2], props["transferkit.class.2"]);
        Assert.Equal("32", props["transferkit.input_size"]);
        Assert.Equal("rgb_0_255", props["transferkit.input"]);
        Assert.Equal("baseline_cnn", props["transferkit.architecture"]);
        Assert.Contains("0.485", props["transferkit.normalization"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(props["transferkit.version"]));

        var input = session.InputMetadata["input"];
        Assert.Equal([-1, 3, 32, 32], input.Dimensions);
        Assert.Equal("batch", input.SymbolicDimensions[0]);
        Assert.Equal([-1, 3], session.OutputMetadata["probabilities"].Dimensions);
        var parsed = OnnxModel.Load(path);
        Assert.Equal(13, parsed.Opset);
        Assert.Equal(model.ClassNames[0], parsed.Metadata["transferkit.class.0"]);
    }

    [Fact]
    public void AMissingFolderOrAFileInPlaceOfTheFolderIsATypedErrorAndLeavesNothing()
    {
        using var model = Randomised("baseline_cnn");
        string missing = Path.Combine(_dir, "no-such-folder", "model.onnx");
        var e = Assert.Throws<OnnxExportException>(() => model.ExportOnnx(missing));
        Assert.Equal(missing, e.Path);
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(missing)));

        string blocker = Path.Combine(_dir, "a-file");
        File.WriteAllText(blocker, "not a folder");
        Assert.Throws<OnnxExportException>(() => model.ExportOnnx(Path.Combine(blocker, "model.onnx")));
        Assert.Equal(["a-file"], Directory.EnumerateFileSystemEntries(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void AnUnsupportedStepIsATypedErrorNamingTheOpAndKeepsTheEarlierFile()
    {
        string path = PathFor("kept");
        File.WriteAllText(path, "earlier export");
        foreach (var (head, expected) in new (Module, string)[] { (new OutsideOpsHead(), "outside TransferKit.Autograd.Ops"), (new TrainingDropoutHead(), "Dropout (training)") })
        {
            var network = new BaselineCnn(new BaselineCnnOptions { Channels = [8, 16], Classes = 3 });
            network.ReplaceHead(head);
            using var model = OnnxExportHarness.Wrap(network, 32, 3, "baseline_cnn");
            var e = Assert.Throws<OnnxExportException>(() => model.ExportOnnx(path));
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        }
        Assert.Equal("earlier export", File.ReadAllText(path));
        Assert.Single(Directory.EnumerateFiles(_dir));
    }

    [Fact]
    public void OpsetOutsideThirteenToEighteenIsRejectedByName()
    {
        using var model = Randomised("baseline_cnn");
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.ExportOnnx(PathFor("x"), new OnnxExportOptions { Opset = 12 }));
        Assert.Equal("Opset", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.ExportOnnx(PathFor("x"), new OnnxExportOptions { Opset = 19 }));
        Assert.False(File.Exists(PathFor("x")));
    }

    /// <summary>Opt-in (TRANSFERKIT_ONNX_CHECKER=1): onnx.checker with full_check (shape inference) accepts an exported file.</summary>
    [Fact]
    public void OnnxCheckerAcceptsTheFileWhenEnabled()
    {
        if (Environment.GetEnvironmentVariable("TRANSFERKIT_ONNX_CHECKER") != "1") return;
        foreach (string family in (string[])["mobilenet_v3", "vgg", "densenet"])
        {
            using var model = Randomised(family);
            string path = PathFor("checked_" + family);
            model.ExportOnnx(path, new OnnxExportOptions { Opset = family == "vgg" ? 18 : 13 });
            var start = new ProcessStartInfo("/usr/bin/python3")
            {
                ArgumentList = { "-c", "import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)", path },
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"onnx.checker rejected {family}: {errors}");
        }
    }

    private static void RandomiseNorms(Module module)
    {
        foreach (var (name, tensor) in module.StateDict())
            if (name.EndsWith("running_mean", StringComparison.Ordinal) || name.EndsWith("running_var", StringComparison.Ordinal)
                || (module.NamedModules().Any(m => m.Value is BatchNorm && name.StartsWith(m.Key + ".", StringComparison.Ordinal))))
            {
                using var values = FormulaWeights.Values(name, tensor.Shape);
                tensor.CopyFrom(values);
            }
    }

    /// <summary>Computes its output from the input's numbers directly, so the trace cannot see the step.</summary>
    private sealed class OutsideOpsHead : Module
    {
        private readonly Linear _linear = new(16, 3, new Random(1));

        public override Tensor Forward(Tensor input)
        {
            var copy = Tensor.FromSpan(input.ReadOnlySpan, input.Shape);
            return _linear.Forward(copy);
        }
    }

    /// <summary>Runs dropout in training mode whatever the module's mode.</summary>
    private sealed class TrainingDropoutHead : Module
    {
        public override Tensor Forward(Tensor input) => Ops.Dropout(input, 0.5f, 7, training: true);
    }
}
