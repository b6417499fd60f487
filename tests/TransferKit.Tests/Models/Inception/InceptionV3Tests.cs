using System.Globalization;
using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Models.Inception;
using TransferKit.Nn;
using TransferKit.Tensors;
using TransferKit.Tests.Golden;

namespace TransferKit.Tests.Models.Inception;

/// <summary>Inception v3's structure against torchvision 0.14: parameter counts, keys and shapes, units, output shapes, catalog facts.</summary>
public class InceptionV3Tests
{
    /// <summary>One full-size network for the read-only structure tests (building one takes about a second).</summary>
    private static readonly Lazy<InceptionV3> WithAux = new(() => new InceptionV3(new InceptionV3Options { AuxLogits = true }));

    /// <summary>The catalog's network: 1000 classes, no auxiliary classifier.</summary>
    private static readonly Lazy<InceptionV3> Plain = new(() => (InceptionV3)Architectures.InceptionV3.CreateImageNet());

    private static readonly string[] MixedNames =
        ["Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e", "Mixed_7a", "Mixed_7b", "Mixed_7c"];

    private static List<(string Key, int[] Shape)> TorchvisionKeys()
    {
        string path = Path.Combine(GoldenFixture.Folder, "Models", "keys", "inception_v3.txt");
        return File.ReadAllLines(path).Where(l => l.Length > 0).Select(line =>
        {
            var parts = line.Split('\t');
            return (parts[0], parts[1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray());
        }).ToList();
    }

    private static List<(string Key, int[] Shape)> OwnKeys(Module model) =>
        model.StateDict().Select(kv => (kv.Key, kv.Value.Shape.ToArray())).ToList();

    [Fact]
    public void ParameterCountsMatchTorchvision()
    {
        var model = Plain.Value;
        Assert.Equal(23_834_568, model.ParameterCount());
        Assert.Equal(21_785_568, model.ParameterCount() - model.Head.ParameterCount());
        Assert.Null(model.AuxLogits);
        // torchvision's num_params for Inception_V3_Weights.IMAGENET1K_V1 counts the auxiliary classifier.
        Assert.Equal(27_161_264, WithAux.Value.ParameterCount());
    }

    [Fact]
    public void KeysAndShapesEqualTorchvisionInOrder()
    {
        var expected = TorchvisionKeys();
        var own = OwnKeys(WithAux.Value);
        // Parameters come before buffers in our StateDict; torchvision interleaves them per module. Compare as sets, then
        // the parameter order separately (it decides optimizer state order and checkpoint layout).
        Assert.Equal(expected.Count, own.Count);
        var expectedByKey = expected.ToDictionary(e => e.Key, e => e.Shape);
        foreach (var (key, shape) in own)
        {
            Assert.True(expectedByKey.TryGetValue(key, out var want), $"unexpected key {key}");
            Assert.Equal(want, shape);
        }
        var expectedParameters = expected.Select(e => e.Key).Where(k => !k.EndsWith("running_mean", StringComparison.Ordinal) && !k.EndsWith("running_var", StringComparison.Ordinal));
        Assert.Equal(expectedParameters, WithAux.Value.NamedParameters().Select(kv => kv.Key));
    }

    [Fact]
    public void WithoutAuxTheKeysAreTorchvisionsMinusAuxLogits()
    {
        var expected = TorchvisionKeys().Where(e => !e.Key.StartsWith("AuxLogits.", StringComparison.Ordinal))
            .OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {string.Join(",", e.Shape)}");
        var own = OwnKeys(Plain.Value).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {string.Join(",", e.Shape)}");
        Assert.Equal(expected, own);
    }

    [Fact]
    public void UnitsAreTheStemThenEachMixedModule()
    {
        var model = WithAux.Value;
        Assert.Equal(["stem", .. MixedNames], model.Units.Select(u => u.Name));
        Assert.Equal(7, model.Units[0].Modules.Count);
        var named = model.Children.ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var name in MixedNames) Assert.Same(named[name], Assert.Single(model.Units[model.UnitIndex(name)].Modules));
        Assert.Equal(2048, model.FeatureChannels);
        Assert.Equal("fc", model.HeadName);
        Assert.IsType<Linear>(model.Head);
        // Every conv of the network is in a (conv, bn) pair: 94 in the main path and 2 in the auxiliary classifier.
        var pairs = model.ConvBatchNormPairs().ToList();
        Assert.Equal(96, pairs.Count);
        Assert.Equal(model.NamedModules().Count(kv => kv.Value is Conv2d), pairs.Count);
        Assert.All(pairs, p => Assert.Equal(BasicConv2d.BatchNormEps, p.Norm.Eps));
    }

    [Fact]
    public void CatalogEntryStatesTorchvisionsFacts()
    {
        var info = Architectures.InceptionV3;
        Assert.Equal("inception_v3", info.Name);
        Assert.Equal("Inception", info.Family);
        Assert.Equal(23_834_568, info.ParameterCount);
        Assert.Equal(21_785_568, info.ParameterCountWithoutHead);
        Assert.Equal(77.294, info.Top1);
        Assert.Equal(93.450, info.Top5);
        Assert.Equal(5.713, info.GigaFlops);
        Assert.Equal(2048, info.FeatureDimension);
        Assert.Equal("fc", info.HeadName);
        Assert.Equal(new PreprocessingSpec(299, 342, ResizeInterpolation.Bilinear, NormalizationSpec.MinusOneToOne), info.Preprocessing);
        info.Preprocessing.Validate();
        Assert.Equal(WithAux.Value.Units.Select(u => u.Name), info.Units);
        Assert.Contains(info, Architectures.InceptionFamily);
    }

    [Fact]
    public void SmallestInputGivesLogitsUnitsComposeAndHeadIsReplaceable()
    {
        using var model = new InceptionV3(new InceptionV3Options { Classes = 4, Seed = 3 });
        model.Eval();
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var input = FormulaWeights.Values("input", new Shape(1, 3, 75, 75));
        var logits = model.Forward(input);
        Assert.Equal(new Shape(1, 4), logits.Shape);

        var middle = model.ForwardUnits(input, 0, model.UnitIndex("Mixed_6a"));
        Assert.Equal(new Shape(1, 288, 7, 7), middle.Shape);
        var features = model.ForwardUnits(middle, model.UnitIndex("Mixed_6a"), model.Units.Count);
        Assert.Equal(new Shape(1, 2048, 1, 1), features.Shape);
        NumericAssert.KernelClose(logits.ReadOnlySpan, model.ForwardHead(features).ReadOnlySpan, "units then head vs Forward");

        // Without an auxiliary classifier (and in evaluation mode in any case) there are no auxiliary logits.
        var (main, auxiliary) = model.ForwardWithAuxiliary(input);
        Assert.Null(auxiliary);
        NumericAssert.KernelClose(logits.ReadOnlySpan, main.ReadOnlySpan, "ForwardWithAuxiliary vs Forward");

        model.ReplaceHead(new Linear(2048, 2, new Random(1)));
        Assert.Equal(21_785_568 + 2048 * 2 + 2, model.ParameterCount());
        Assert.Equal([2, 2048], model.StateDict()["fc.weight"].Shape.ToArray());
        Assert.Equal(new Shape(1, 2), model.ForwardHead(features).Shape);
    }

    [Fact]
    public void AuxiliaryLogitsComeInTrainingModeAt299Only()
    {
        var model = WithAux.Value;
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        // Batch 2: the auxiliary 5x5 conv leaves one value per image, and training-mode batch norm needs two (as PyTorch).
        var input = FormulaWeights.Values("input", new Shape(2, 3, 299, 299));
        try
        {
            model.Train();
            var (logits, auxiliary) = model.ForwardWithAuxiliary(input);
            Assert.Equal(new Shape(2, 1000), logits.Shape);
            Assert.NotNull(auxiliary);
            Assert.Equal(new Shape(2, 1000), auxiliary.Shape);
            Assert.All(auxiliary.ToArray(), v => Assert.True(float.IsFinite(v)));
        }
        finally
        {
            model.Eval();
        }
        Assert.Null(model.ForwardWithAuxiliary(input).Auxiliary);
    }

    [Fact]
    public void InitialisationIsTorchvisionsTruncatedNormal()
    {
        var model = WithAux.Value;
        var state = model.StateDict();
        static double Std(Tensor t) => Math.Sqrt(t.ToArray().Select(v => (double)v * v).Average());
        Assert.InRange(Std(state["Mixed_7c.branch3x3dbl_2.conv.weight"]), 0.099, 0.101);
        Assert.InRange(Std(state["AuxLogits.conv1.conv.weight"]), 0.0099, 0.0101);
        Assert.InRange(Std(state["AuxLogits.fc.weight"]), 0.00095, 0.00105);
        Assert.All(state["Mixed_5b.branch1x1.bn.weight"].ToArray(), v => Assert.Equal(1f, v));
        Assert.All(state["Mixed_5b.branch1x1.bn.bias"].ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void InvalidOptionsAreNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => new InceptionV3(new InceptionV3Options { Classes = 0 }));
        Assert.Contains("Classes", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => new InceptionV3(new InceptionV3Options { Dropout = 1f }));
        Assert.Contains("Dropout", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModuleOutputChannelsMatchTheirConcatenation()
    {
        var random = new Random(0);
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        InceptionBlock[] blocks =
        [
            new InceptionA(5, 3, random), new InceptionB(5, random), new InceptionC(5, 4, random),
            new InceptionD(5, random), new InceptionE(5, random),
        ];
        var input = FormulaWeights.Values("input", new Shape(1, 5, 7, 7));
        int[] expectedSide = [7, 3, 7, 3, 7];
        for (int i = 0; i < blocks.Length; i++)
        {
            blocks[i].Eval();
            var y = blocks[i].Forward(input);
            Assert.Equal(new Shape(1, blocks[i].OutChannels, expectedSide[i], expectedSide[i]), y.Shape);
            blocks[i].Dispose();
        }
        Assert.Equal([227, 485, 768, 517, 2048], blocks.Select(b => b.OutChannels));
    }
}
