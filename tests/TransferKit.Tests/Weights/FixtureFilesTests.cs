using TransferKit.Tests.Golden;

namespace TransferKit.Tests.Weights;

/// <summary>
/// The PyTorch fixtures (written by tools/fixtures/make_fixtures.py with its own safetensors writer) open and
/// validate with our reader, and hold the keys the golden tests rely on.
/// </summary>
public class FixtureFilesTests
{
    private static readonly string[] BaselineStateKeys =
    [
        .. Enumerable.Range(0, 3).SelectMany(i => new[]
        {
            $"features.{i}.0.weight", $"features.{i}.1.weight", $"features.{i}.1.bias",
            $"features.{i}.1.running_mean", $"features.{i}.1.running_var",
        }),
        "classifier.weight", "classifier.bias",
    ];

    private static IEnumerable<string> BaselineParameterKeys => BaselineStateKeys.Where(k => !k.Contains("running_", StringComparison.Ordinal));

    public static TheoryData<string> AllCases() => [.. GoldenFixture.AllCases()];

    [Fact]
    public void FixturesAreCopiedNextToTheTests() => Assert.True(GoldenFixture.AllCases().Count >= 50, $"only {GoldenFixture.AllCases().Count} fixtures in {GoldenFixture.Folder}");

    [Theory]
    [MemberData(nameof(AllCases))]
    public void EveryFixtureOpensAndEveryGradientMatchesItsInputShape(string caseName)
    {
        using var f = GoldenFixture.Load(caseName);
        Assert.NotEmpty(f.File.Tensors);
        Assert.True(f.File.Metadata.ContainsKey("op") || f.File.Metadata.ContainsKey("model"), "metadata names the op or model");
        foreach (var info in f.File.Tensors)
        {
            Assert.All(f.Floats(info.Name), v => Assert.True(float.IsFinite(v), $"{caseName}/{info.Name} holds a non-finite value"));
            string? source = info.Name.StartsWith("grad_", StringComparison.Ordinal) ? info.Name["grad_".Length..]
                : info.Name.StartsWith("grad.", StringComparison.Ordinal) ? "init." + info.Name["grad.".Length..]
                : null;
            if (source is not null && source != "output")
                Assert.Equal(f.Shape(source), info.Shape);
        }
    }

    [Theory]
    [InlineData("baseline_cnn_sgd")]
    [InlineData("baseline_cnn_sgd_nesterov")]
    [InlineData("baseline_cnn_adam")]
    [InlineData("baseline_cnn_adamw")]
    public void BaselineTrainingFilesHoldEveryKey(string caseName)
    {
        using var f = GoldenFixture.Load(caseName);
        foreach (string key in BaselineStateKeys)
        {
            Assert.True(f.Has("init." + key), $"{caseName}: init.{key}");
            Assert.True(f.Has("step1." + key), $"{caseName}: step1.{key}");
            Assert.True(f.Has("step2." + key), $"{caseName}: step2.{key}");
        }
        foreach (string key in BaselineParameterKeys)
            Assert.True(f.Has("grad." + key), $"{caseName}: grad.{key}");
        Assert.False(f.Has("grad.features.0.1.running_mean"));
        Assert.Equal([4, 3, 16, 16], f.Shape("input"));
        Assert.Equal([4, 3], f.Shape("logits"));
        Assert.Equal([1], f.Shape("loss"));
        Assert.All(f.Ints("labels"), l => Assert.InRange(l, 0, 2));
        Assert.Equal([8, 16, 32], f.MetaInts("channels"));
        Assert.Equal(3, int.Parse(f.Meta("classes"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("2", f.Meta("steps"));
        Assert.False(string.IsNullOrEmpty(f.Meta("optimizer")));
        Assert.True(f.MetaFloat("lr") > 0);
        Assert.True(f.Floats("loss2")[0] < f.Floats("loss")[0], "two steps on one batch lower the loss");
        // BN was randomised away from the identity, so the fixtures can catch scale/shift bugs.
        Assert.Contains(f.Floats("init.features.1.1.weight"), w => Math.Abs(w - 1) > 0.1f);
    }

    [Fact]
    public void BaselineEvalFileHoldsInitStateAndLogits()
    {
        using var f = GoldenFixture.Load("baseline_cnn_eval");
        foreach (string key in BaselineStateKeys) Assert.True(f.Has("init." + key), key);
        Assert.Equal([4, 3], f.Shape("logits"));
        Assert.Equal("eval", f.Meta("mode"));
        using var sgd = GoldenFixture.Load("baseline_cnn_sgd");
        Assert.Equal(sgd.Floats("input"), f.Floats("input"));
        Assert.Equal(sgd.Floats("init.features.2.0.weight"), f.Floats("init.features.2.0.weight"));
    }

    [Fact]
    public void CaseParametersParse()
    {
        using var conv = GoldenFixture.Load("conv2d_3x3_s2_p1");
        Assert.Equal([2, 2], conv.MetaInts("stride"));
        Assert.Equal([1, 1], conv.MetaInts("padding"));
        Assert.True(conv.MetaBool("bias"));
        using var bn = GoldenFixture.Load("batch_norm2d_train_momentum0.01");
        Assert.Equal(0.01f, bn.MetaFloat("momentum"));
        using var ce = GoldenFixture.Load("cross_entropy_weighted");
        Assert.Equal(6, ce.Ints("labels").Length);
        Assert.Throws<Xunit.Sdk.XunitException>(() => ce.Meta("stride"));
        Assert.Throws<Xunit.Sdk.XunitException>(() => ce.Floats("grad_weight"));
    }
}
