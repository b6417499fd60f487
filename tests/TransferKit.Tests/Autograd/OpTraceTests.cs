using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Tensors;

namespace TransferKit.Tests.Autograd;

/// <summary>The op trace behind ONNX export: it records only while open, on its own thread, and sees fused ops as their parts.</summary>
public class OpTraceTests
{
    [Fact]
    public void TheFusedConvolutionIsRecordedAsConvAddAndActivationWithTheSameResult()
    {
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var random = new Random(3);
        Tensor Random(params int[] dims)
        {
            var t = Tensor.Empty(dims);
            var s = t.Span;
            for (int i = 0; i < s.Length; i++) s[i] = (float)(random.NextDouble() - 0.5);
            return t;
        }
        var x = Random(1, 4, 6, 6);
        var w = Random(4, 4, 3, 3);
        var b = Random(4);
        var residual = Random(1, 4, 6, 6);
        var options = Conv2dOptions.Square(padding: 1);
        var fused = Ops.Conv2dActivation(x, w, b, options, ActivationKind.ReLU, residual);

        using var trace = OpTrace.Begin();
        var traced = Ops.Conv2dActivation(x, w, b, options, ActivationKind.ReLU, residual);
        Assert.Equal([TracedOpKind.Conv2d, TracedOpKind.Add, TracedOpKind.Activation], trace.Ops.Select(o => o.Kind));
        Assert.Equal(options, trace.Ops[0].Settings);
        Assert.Same(x, trace.Ops[0].Inputs[0]);
        Assert.Same(residual, trace.Ops[1].Inputs[1]);
        Assert.Equal(ActivationKind.ReLU, trace.Ops[2].Settings);
        Assert.Same(traced, trace.Ops[2].Output);
        NumericAssert.Close(fused.ToArray(), traced.ToArray(), Tolerances.KernelRelative, Tolerances.KernelAbsolute, "fused vs composed");
    }

    [Fact]
    public void NothingIsRecordedOnceClosedOrOnAnotherThread()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Full(new Shape(2, 3), 1f);
        var trace = OpTrace.Begin();
        Ops.Relu(x);
        var other = new Thread(() => Ops.Relu(x).Dispose());
        other.Start();
        other.Join();
        trace.Dispose();
        Ops.Relu(x);
        Assert.Null(OpTrace.Current);
        Assert.Single(trace.Ops);
    }
}
