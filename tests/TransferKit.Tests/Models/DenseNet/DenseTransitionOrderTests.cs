using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Tensors;
using TransferKit.Tests.Models.Inception;

namespace TransferKit.Tests.Models;

/// <summary>
/// DenseNet's transitions pool before their 1x1 convolution (<see cref="DenseTransition.UsesTorchOrder"/> off): the
/// logits and the gradients of torchvision's order, up to float32 rounding, on odd planes too (the pool floors); and in
/// inference, the batch norm and ReLU applied inside the pool (<see cref="DenseTransition.NormalizesInPool"/>) give the
/// separate passes' bits.
/// </summary>
public class DenseTransitionOrderTests
{
    private static readonly DenseNetConfig Small = new(GrowthRate: 5, BlockConfig: [2, 2, 2], InitFeatures: 7, BottleneckSize: 3);

    [Theory]
    [InlineData(37)]
    [InlineData(32)]
    public void PoolingFirstGivesTorchvisionsLogitsAndGradients(int size)
    {
        using var model = new DenseNet(Small, classes: 4);
        FormulaWeights.Fill(model);
        model.Eval();
        using var scope = TensorScope.Begin();
        var input = FormulaWeights.Values("input", new Shape(2, 3, size, size));
        var (poolFirst, poolFirstGrad, poolFirstWeightGrad) = Run(model, input, torchOrder: false);
        var (torch, torchGrad, torchWeightGrad) = Run(model, input, torchOrder: true);
        NumericAssert.Close(torch, poolFirst, 1e-5f, 1e-6f, "logits");
        NumericAssert.Close(torchGrad, poolFirstGrad, 1e-4f, 1e-6f, "input gradient");
        NumericAssert.Close(torchWeightGrad, poolFirstWeightGrad, 1e-4f, 1e-6f, "transition weight gradient");
        Assert.Contains(poolFirstWeightGrad, g => g != 0f);
    }

    [Theory]
    [InlineData(37)]
    [InlineData(64)]
    public void NormalisingInsideThePoolGivesTheSeparatePassesBits(int size)
    {
        using var model = new DenseNet(Small, classes: 4);
        FormulaWeights.Fill(model);
        model.Eval();
        using var scope = TensorScope.Begin();
        var input = FormulaWeights.Values("input", new Shape(2, 3, size, size));
        float[] Logits(bool inPool)
        {
            bool before = DenseTransition.NormalizesInPool;
            try
            {
                DenseTransition.NormalizesInPool = inPool;
                using var noGrad = GradMode.NoGrad();
                return model.Forward(input).ToArray();
            }
            finally
            {
                DenseTransition.NormalizesInPool = before;
            }
        }
        float[] inPool = Logits(true), separate = Logits(false);
        for (int i = 0; i < inPool.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(separate[i]) == BitConverter.SingleToInt32Bits(inPool[i]),
                $"logit {i}: {inPool[i]:R} normalised in the pool, {separate[i]:R} apart");
    }

    private static (float[] Logits, float[] InputGrad, float[] WeightGrad) Run(DenseNet model, Tensor input, bool torchOrder)
    {
        bool before = DenseTransition.UsesTorchOrder;
        try
        {
            DenseTransition.UsesTorchOrder = torchOrder;
            var transition = (DenseTransition)model.Units.First(u => u.Name == "transition1").Modules.Single();
            model.ZeroGrad();
            var x = Tensor.FromSpan(input.ToArray(), input.Shape);
            x.RequiresGrad = true;
            using var tape = Tape.Begin();
            var logits = model.Forward(x);
            tape.Backward(Ops.CrossEntropy(logits, [1, 3]));
            return (logits.ToArray(), x.Grad!.ToArray(), transition.Conv.Weight.Grad!.ToArray());
        }
        finally
        {
            DenseTransition.UsesTorchOrder = before;
        }
    }
}
