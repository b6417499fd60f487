using TransferKit.Autograd;
using TransferKit.Models.Inception;
using TransferKit.Tensors;
using TransferKit.Tests.Golden;
using GoldenAssert = TransferKit.Tests.Golden.Golden;

namespace TransferKit.Tests.Models.Inception;

/// <summary>
/// The whole Inception v3 and its auxiliary classifier against torchvision 0.14 in float64
/// (tools/fixtures/models_inception.py), with the formula weights of <see cref="FormulaWeights"/>.
/// </summary>
public class InceptionV3GoldenTests
{
    /// <summary>
    /// One model for the whole sequence (building one is the expensive part): formula values, eval features, logits,
    /// loss and gradients, then a training-mode forward and the running statistics it leaves.
    /// </summary>
    [Fact]
    public void WholeNetworkMatchesTorchvision()
    {
        using var f = GoldenFixture.Load("Models/inception_v3_107");
        using var model = new InceptionV3(new InceptionV3Options { Classes = 5, Dropout = 0f });
        FormulaWeights.Fill(model);
        using var scope = TensorScope.Begin();
        var input = FormulaWeights.Values("input", new Shape(2, 3, 107, 107));
        var state = model.StateDict();
        foreach (var key in new[] { "Conv2d_1a_3x3.conv.weight", "Mixed_6b.branch7x7_2.bn.running_var", "fc.weight" })
            Assert.Equal(f.Floats("sample." + key), state[key].ReadOnlySpan[..16].ToArray());
        Assert.Equal(f.Floats("sample.input"), input.ReadOnlySpan[..16].ToArray());

        model.Eval();
        using (var tape = Tape.Begin())
        {
            var features = model.ForwardUnits(input, 0, model.Units.Count);
            GoldenAssert.Close(f, "features", features, "Mixed_7c output");
            var logits = model.ForwardHead(features);
            GoldenAssert.Close(f, "logits", logits, "eval logits");
            var loss = Ops.CrossEntropy(logits, f.Ints("labels"));
            GoldenAssert.Close(f, "loss", loss, "eval loss");
            tape.Backward(loss);
        }
        var parameters = model.NamedParameters().ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var name in Names(f, "grad."))
            GoldenAssert.Close(f, name, parameters[name["grad.".Length..]].Grad!, "eval-mode " + name);

        model.Train();
        using (GradMode.NoGrad())
        {
            var trainLogits = model.Forward(input);
            Close(f, "train_logits", trainLogits, "training-mode logits");
        }
        foreach (var name in Names(f, "after."))
            Close(f, name, state[name["after.".Length..]], name + " after the training forward");
    }

    [Fact]
    public void AuxiliaryClassifierMatchesTorchvision()
    {
        using var f = GoldenFixture.Load("Models/inception_aux");
        using var aux = new InceptionAux(8, 5, new Random(0));
        FormulaWeights.Fill(aux);
        using var scope = TensorScope.Begin();
        var input = FormulaWeights.Values("input", new Shape(4, 8, 17, 17));
        input.RequiresGrad = true;
        aux.Eval();
        using (var tape = Tape.Begin())
        {
            var output = aux.Forward(input);
            GoldenAssert.Close(f, "output", output, "eval output");
            tape.Backward(Ops.CrossEntropy(output, f.Ints("labels")));
        }
        GoldenAssert.Close(f, "grad.input", input.Grad!, "input gradient");
        var parameters = aux.NamedParameters().ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var key in new[] { "conv0.conv.weight", "conv1.bn.weight", "fc.weight", "fc.bias" })
            GoldenAssert.Close(f, "grad." + key, parameters[key].Grad!, "gradient of " + key);

        aux.Train();
        using (GradMode.NoGrad())
            Close(f, "train_output", aux.Forward(input), "training output");
    }

    private static IEnumerable<string> Names(GoldenFixture f, string prefix) =>
        f.File.Tensors.Select(t => t.Name).Where(n => n.StartsWith(prefix, StringComparison.Ordinal));

    private static void Close(GoldenFixture f, string name, Tensor actual, string what)
    {
        using var expected = f.Tensor(name);
        NumericAssert.Close(expected.ReadOnlySpan, actual.ReadOnlySpan, Tolerances.DeepTrainingModeRelative, Tolerances.GoldenAbsolute, what);
    }
}
