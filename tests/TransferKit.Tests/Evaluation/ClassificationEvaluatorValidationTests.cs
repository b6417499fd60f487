using TransferKit.Evaluation;
using TransferKit.Tensors;

namespace TransferKit.Tests.Evaluation;

/// <summary>Bad inputs fail with an ArgumentException that names the argument and the index, and change nothing.</summary>
public sealed class ClassificationEvaluatorValidationTests
{
    private static readonly string[] Abc = ["a", "b", "c"];

    [Fact]
    public void MismatchedLengthsNameTheProbabilities()
    {
        var evaluator = new ClassificationEvaluator(Abc);
        var e = Assert.Throws<ArgumentException>(() => evaluator.Add(new float[5], [0, 1]));
        Assert.Equal("probabilities", e.ParamName);
        Assert.Contains("expected 6", e.Message, StringComparison.Ordinal);

        var binary = new ClassificationEvaluator(["no", "yes"]);
        var b = Assert.Throws<ArgumentException>(() => binary.AddBinary([0.5f, 0.5f, 0.5f], [0, 1]));
        Assert.Equal("positiveProbabilities", b.ParamName);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    public void LabelsOutOfRangeNameTheIndex(int bad)
    {
        var evaluator = new ClassificationEvaluator(Abc);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => evaluator.Add(new float[9], [0, 2, bad]));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("labels[2]", e.Message, StringComparison.Ordinal);

        var binary = new ClassificationEvaluator(["no", "yes"]);
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => binary.AddBinary([0.5f], [2])).ParamName);
    }

    [Fact]
    public void NaNScoresNameTheIndexSampleAndClass()
    {
        var evaluator = new ClassificationEvaluator(Abc);
        float[] probabilities = [0.2f, 0.3f, 0.5f, 0.1f, float.NaN, 0.9f];
        var e = Assert.Throws<ArgumentException>(() => evaluator.Add(probabilities, [0, 1]));
        Assert.IsType<ArgumentException>(e);
        Assert.Equal("probabilities", e.ParamName);
        Assert.Contains("probabilities[4] (sample 1, class 1) is NaN", e.Message, StringComparison.Ordinal);

        var binary = new ClassificationEvaluator(["no", "yes"]);
        var b = Assert.Throws<ArgumentException>(() => binary.AddBinary([0.5f, float.NaN], [0, 1]));
        Assert.Equal("positiveProbabilities", b.ParamName);
        Assert.Contains("positiveProbabilities[1] is NaN", b.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.01f)]
    [InlineData(1.5f)]
    [InlineData(float.PositiveInfinity)]
    public void ValuesThatAreNotProbabilitiesAreRefused(float bad)
    {
        var evaluator = new ClassificationEvaluator(Abc);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => evaluator.Add([0.2f, bad, 0.5f], [0]));
        Assert.Equal("probabilities", e.ParamName);
        Assert.Contains("probabilities[1] (sample 0, class 1)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFailedBatchLeavesTheEvaluatorUnchanged()
    {
        var evaluator = new ClassificationEvaluator(Abc);
        evaluator.Add([0.7f, 0.2f, 0.1f], [0]);
        string before = evaluator.ToReport().ToJson();

        // The bad value is in the last row: nothing of the batch may have been counted.
        Assert.Throws<ArgumentException>(() => evaluator.Add([0.1f, 0.8f, 0.1f, 0.3f, 0.3f, float.NaN], [1, 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => evaluator.Add([0.1f, 0.8f, 0.1f, 0.3f, 0.3f, 0.4f], [1, 7]));

        Assert.Equal(1, evaluator.SampleCount);
        Assert.Equal(before, evaluator.ToReport().ToJson());
    }

    [Fact]
    public void TensorShapesMustFitTheClasses()
    {
        using var scope = TensorScope.Begin();
        var evaluator = new ClassificationEvaluator(Abc);
        var wrongColumns = Assert.Throws<ArgumentException>(() => evaluator.Add(Tensor.Zeros(2, 4), [0, 1]));
        Assert.Equal("probabilities", wrongColumns.ParamName);
        Assert.Contains("[2, 4]", wrongColumns.Message, StringComparison.Ordinal);

        var wrongRows = Assert.Throws<ArgumentException>(() => evaluator.Add(Tensor.Zeros(3, 3), [0, 1]));
        Assert.Equal("probabilities", wrongRows.ParamName);

        // One column is a sigmoid output only for two classes.
        Assert.Throws<ArgumentException>(() => evaluator.Add(Tensor.Zeros(2), [0, 1]));
        var binary = new ClassificationEvaluator(["no", "yes"]);
        binary.Add(Tensor.FromArray([0.2f, 0.9f], 2), [0, 1]);
        binary.Add(Tensor.FromArray([0.2f, 0.9f], 2, 1), [0, 1]);
        Assert.Equal(1.0, binary.ToReport().Accuracy);
    }

    [Fact]
    public void AddBinaryNeedsTwoClasses()
    {
        var evaluator = new ClassificationEvaluator(Abc);
        Assert.Throws<InvalidOperationException>(() => evaluator.AddBinary([0.5f], [0]));
    }

    [Fact]
    public void ClassNamesAreChecked()
    {
        Assert.Throws<ArgumentNullException>(() => new ClassificationEvaluator(null!));
        Assert.Equal("classNames", Assert.Throws<ArgumentException>(() => new ClassificationEvaluator(["only"])).ParamName);

        var blank = Assert.Throws<ArgumentException>(() => new ClassificationEvaluator(["a", " "]));
        Assert.Contains("classNames[1]", blank.Message, StringComparison.Ordinal);

        var repeated = Assert.Throws<ArgumentException>(() => new ClassificationEvaluator(["a", "b", "a"]));
        Assert.Contains("classNames[0] and classNames[2]", repeated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionsAreValidatedWithThePropertyNamed()
    {
        Assert.Equal("TopK", Assert.Throws<ArgumentOutOfRangeException>(() => new ClassificationEvaluator(Abc, new() { TopK = [0] })).ParamName);
        Assert.Equal("TopK", Assert.Throws<ArgumentException>(() => new ClassificationEvaluator(Abc, new() { TopK = [2, 2] })).ParamName);
        Assert.Equal("TopK", Assert.Throws<ArgumentNullException>(() => new ClassificationEvaluator(Abc, new() { TopK = null! })).ParamName);
        foreach (double eps in (double[])[0, 0.5, double.NaN])
        {
            Assert.Equal(
                "LogLossEpsilon",
                Assert.Throws<ArgumentOutOfRangeException>(() => new ClassificationEvaluator(Abc, new() { LogLossEpsilon = eps })).ParamName);
        }

        Assert.Equal(
            "BinaryThreshold",
            Assert.Throws<ArgumentOutOfRangeException>(() => new ClassificationEvaluator(Abc, new() { BinaryThreshold = float.NaN })).ParamName);

        // An empty top-k list is allowed: the report then has no top-k entries.
        var none = ClassificationEvaluator.Evaluate([0.9f, 0.05f, 0.05f], [0], Abc, new() { TopK = [] });
        Assert.Empty(none.TopK);
    }
}
