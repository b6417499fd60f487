using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Nn;
using TransferKit.Tensors;

namespace TransferKit.Tests.Nn;

/// <summary>Layer contracts: parameter names and counts, output shapes, state-dict behaviour.</summary>
public class ModuleTests
{
    [Fact]
    public void BaselineCnnHasTorchStyleKeysAndCounts()
    {
        using var model = new BaselineCnn(new BaselineCnnOptions { Channels = [8, 16, 32], Classes = 3 });
        var keys = model.StateDict().Keys.ToHashSet();
        string[] expected =
        [
            "features.0.0.weight", "features.0.1.weight", "features.0.1.bias", "features.0.1.running_mean", "features.0.1.running_var",
            "features.1.0.weight", "features.2.1.running_var", "classifier.weight", "classifier.bias",
        ];
        foreach (var k in expected) Assert.Contains(k, keys);
        Assert.Equal(3 * 5 + 2, keys.Count);
        // conv: 3*8*9 + 8*16*9 + 16*32*9; bn: 2*(8+16+32); linear: 32*3 + 3.
        Assert.Equal(216 + 1152 + 4608 + 112 + 99, model.ParameterCount());
    }

    [Fact]
    public void DefaultBaselineCnnParameterCount()
    {
        using var model = new BaselineCnn();
        long conv = 3 * 32 * 9 + 32 * 64 * 9 + 64 * 128 * 9 + 128 * 256 * 9;
        long bn = 2 * (32 + 64 + 128 + 256);
        Assert.Equal(conv + bn + 256 * 2 + 2, model.ParameterCount());
    }

    [Fact]
    public void ForwardShapeAndEvalIsDeterministic()
    {
        using var model = new BaselineCnn(new BaselineCnnOptions { Channels = [4, 8], Classes = 5 });
        using var scope = TensorScope.Begin();
        var x = Tensor.Full(new Shape(2, 3, 12, 12), 0.5f);
        model.Eval();
        var a = model.Forward(x);
        var b = model.Forward(x);
        Assert.Equal(new Shape(2, 5), a.Shape);
        Assert.Equal(a.ToArray(), b.ToArray());
    }

    [Fact]
    public void SameSeedSameWeightsOtherSeedOtherWeights()
    {
        using var a = new BaselineCnn(new BaselineCnnOptions { Seed = 3 });
        using var b = new BaselineCnn(new BaselineCnnOptions { Seed = 3 });
        using var c = new BaselineCnn(new BaselineCnnOptions { Seed = 4 });
        Assert.Equal(a.Classifier.Weight.Value.ToArray(), b.Classifier.Weight.Value.ToArray());
        Assert.NotEqual(a.Classifier.Weight.Value.ToArray(), c.Classifier.Weight.Value.ToArray());
    }

    [Fact]
    public void LoadStateDictCopiesValuesAndReportsEveryProblem()
    {
        using var source = new BaselineCnn(new BaselineCnnOptions { Channels = [4], Seed = 1 });
        using var target = new BaselineCnn(new BaselineCnnOptions { Channels = [4], Seed = 2 });
        target.LoadStateDict(source.StateDict());
        Assert.Equal(source.Classifier.Weight.Value.ToArray(), target.Classifier.Weight.Value.ToArray());

        using var wrong = new BaselineCnn(new BaselineCnnOptions { Channels = [4], Classes = 7 });
        var bad = new Dictionary<string, Tensor>(source.StateDict());
        bad.Remove("features.0.1.bias");
        using var extra = Tensor.Zeros(1);
        bad["bogus"] = extra;
        var ex = Assert.Throws<StateDictMismatchException>(() => wrong.LoadStateDict(bad));
        Assert.Contains("features.0.1.bias", ex.Missing);
        Assert.Contains("bogus", ex.Unexpected);
        Assert.Contains(ex.ShapeMismatches, s => s.StartsWith("classifier.weight: expected [7, 4], got [2, 4]", StringComparison.Ordinal));
    }

    [Fact]
    public void FrozenModuleGetsNoGradientAndRecordsNoActivations()
    {
        using var model = new BaselineCnn(new BaselineCnnOptions { Channels = [4, 8], Classes = 2 });
        model.Features.SetTrainable(false);
        Assert.Equal(8 * 2 + 2, model.ParameterCount(trainableOnly: true));
        using var scope = TensorScope.Begin();
        using var tape = Tape.Begin();
        var x = Tensor.Full(new Shape(2, 3, 8, 8), 0.25f);
        var logits = model.Forward(x);
        // Only Linear (and nothing before it) is recorded: the frozen features keep no activations.
        Assert.Equal(1, tape.Count);
        tape.Backward(Ops.CrossEntropy(logits, [0, 1]));
        Assert.All(model.Features.NamedParameters(), kv => Assert.Null(kv.Value.Grad));
        Assert.NotNull(model.Classifier.Weight.Grad);
    }

    [Fact]
    public void DropoutIsIdentityInEvalAndSeededInTraining()
    {
        var a = new Dropout(0.5f, seed: 9);
        var b = new Dropout(0.5f, seed: 9);
        using var scope = TensorScope.Begin();
        var x = Tensor.Full(new Shape(4, 64), 1f);
        Assert.Equal(a.Forward(x).ToArray(), b.Forward(x).ToArray());
        Assert.NotEqual(a.Forward(x).ToArray(), a.Forward(x).ToArray());
        a.Eval();
        Assert.Equal(x.ToArray(), a.Forward(x).ToArray());
    }
}

public class Conv2dDefaultsTests
{
    [Fact]
    public void DefaultOptionsMeanStrideOneNoPaddingOneGroup()
    {
        using var conv = new Conv2d(2, 3, 3, new Random(1));
        Assert.Equal(Conv2dOptions.Default, conv.Options);
        using var scope = TensorScope.Begin();
        Assert.Equal(new Shape(1, 3, 3, 3), conv.Forward(Tensor.Zeros(1, 2, 5, 5)).Shape);
        Assert.Equal(new Shape(1, 3, 3, 3), Ops.Conv2d(Tensor.Zeros(1, 2, 5, 5), conv.Weight.Value, null).Shape);
    }
}
