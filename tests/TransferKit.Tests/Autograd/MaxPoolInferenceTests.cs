using TransferKit.Autograd;
using TransferKit.Tensors;

namespace TransferKit.Tests.Autograd;

/// <summary>
/// Max pooling where nothing will run backward finds no winners' indices: the same output as when it is recorded, and
/// no index tensor rented beside it.
/// </summary>
public class MaxPoolInferenceTests
{
    [Fact]
    public void UnrecordedPoolingGivesTheRecordedValuesWithoutAnIndexTensor()
    {
        using var scope = TensorScope.Begin();
        var rng = new Random(5);
        var data = new float[2 * 3 * 37 * 37];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        var options = Pool2dOptions.Square(3, 2, padding: 1);

        var x = Tensor.FromArray(data, 2, 3, 37, 37);
        x.RequiresGrad = true;
        float[] recorded;
        using (var tape = Tape.Begin())
            recorded = Ops.MaxPool2d(x, options).ToArray();

        float[] inference;
        int tensorsMade;
        using (GradMode.NoGrad())
        using (var inner = TensorScope.Begin())
        {
            inference = Ops.MaxPool2d(x, options).ToArray();
            tensorsMade = inner.TrackedCount;
        }

        Assert.Equal(recorded, inference);
        Assert.Equal(1, tensorsMade);
    }
}
