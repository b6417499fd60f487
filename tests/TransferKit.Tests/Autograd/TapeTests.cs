using TransferKit.Autograd;
using TransferKit.Tensors;

namespace TransferKit.Tests.Autograd;

public class TapeTests
{
    private static Tensor Param(params float[] values)
    {
        var t = Tensor.FromArray(values, values.Length).Persist();
        t.RequiresGrad = true;
        return t;
    }

    [Fact]
    public void NothingIsRecordedWithoutATape()
    {
        using var w = Param(1, 2);
        using var x = Tensor.FromArray([3f, 4f], 1, 2);
        using var y = Ops.Linear(x, w.Reshape(1, 2), null);
        Assert.False(y.RequiresGrad);
        Assert.Null(Tape.Current);
    }

    [Fact]
    public void OpsWithOnlyFrozenInputsAreNotRecorded()
    {
        using var scope = TensorScope.Begin();
        using var tape = Tape.Begin();
        var frozen = Tensor.FromArray([1f, -2f], 1, 2);
        var y = Ops.Relu(frozen);
        Assert.Equal(0, tape.Count);
        Assert.False(y.RequiresGrad);
    }

    [Fact]
    public void NoGradSuspendsRecording()
    {
        using var w = Param(1, -2);
        using var scope = TensorScope.Begin();
        using var tape = Tape.Begin();
        using (GradMode.NoGrad()) Ops.Relu(w);
        Assert.Equal(0, tape.Count);
        Ops.Relu(w);
        Assert.Equal(1, tape.Count);
    }

    [Fact]
    public void GradientsAccumulateAcrossBackwardPassesUntilZeroed()
    {
        using var w = Param(2, 3);
        var weight = w.Reshape(1, 2).Persist();
        weight.RequiresGrad = true;
        for (int pass = 0; pass < 2; pass++)
        {
            using var scope = TensorScope.Begin();
            using var tape = Tape.Begin();
            var x = Tensor.FromArray([1f, 10f], 1, 2);
            tape.Backward(Ops.Linear(x, weight, null));
        }
        Assert.Equal([2f, 20f], weight.Grad!.ToArray());
        weight.Grad.Span.Clear();
        Assert.Equal([0f, 0f], weight.Grad.ToArray());
        weight.Dispose();
    }

    [Fact]
    public void BackwardRejectsANonScalarWithoutSeedAndAForeignTensor()
    {
        using var w = Param(1, 2);
        using var scope = TensorScope.Begin();
        using var tape = Tape.Begin();
        var y = Ops.Relu(w);
        Assert.Throws<ShapeMismatchException>(() => tape.Backward(y));
        Assert.Throws<InvalidOperationException>(() => tape.Backward(Tensor.Zeros(1)));
    }

    [Fact]
    public void IntermediateGradientsAreReleasedAndLeafGradientsSurviveTheScope()
    {
        using var w = Param(0.5f, -1.5f, 2f);
        using (var scope = TensorScope.Begin())
        using (var tape = Tape.Begin())
        {
            var y = Ops.Relu(Ops.Relu(w));
            tape.Backward(y, Tensor.Full(y.Shape, 1f));
        }
        Assert.NotNull(w.Grad);
        Assert.False(w.Grad!.IsDisposed);
        Assert.Equal([1f, 0f, 1f], w.Grad.ToArray());
    }
}
