using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Nn;
using TransferKit.Tensors;
using TransferKit.Training.Optimizers;

namespace TransferKit.Tests.Golden;

/// <summary>
/// The baseline CNN against PyTorch 1.13 (tools/fixtures/make_fixtures.py): train-mode logits, loss, every
/// parameter gradient, and parameters plus BN running statistics after two optimizer steps.
/// </summary>
public class BaselineCnnGoldenTests
{
    private static BaselineCnn LoadInitialModel(GoldenFixture f)
    {
        var model = new BaselineCnn(new BaselineCnnOptions { Channels = [8, 16, 32], InChannels = 3, Classes = 3 });
        var state = model.StateDict().Keys.ToDictionary(k => k, k => f.Tensor("init." + k));
        model.LoadStateDict(state);
        foreach (var t in state.Values) t.Dispose();
        return model;
    }

    public static TheoryData<string> Optimizers => new() { "sgd", "sgd_nesterov", "adam", "adamw" };

    private static Optimizer CreateOptimizer(string name, Module model) => name switch
    {
        "sgd" => new Sgd(model, 0.1f, momentum: 0.9f, weightDecay: 1e-4f),
        "sgd_nesterov" => new Sgd(model, 0.1f, momentum: 0.9f, weightDecay: 1e-4f, nesterov: true),
        "adam" => new Adam(model, 1e-2f, weightDecay: 1e-4f),
        "adamw" => new AdamW(model, 1e-2f, weightDecay: 0.05f),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void TwoTrainingStepsMatchPyTorch(string optimizerName)
    {
        using var f = GoldenFixture.Load("baseline_cnn_" + optimizerName);
        using var model = LoadInitialModel(f);
        using var optimizer = CreateOptimizer(optimizerName, model);
        using var input = f.Tensor("input");
        var labels = f.Ints("labels");

        for (int step = 1; step <= 2; step++)
        {
            using (var scope = TensorScope.Begin())
            using (var tape = Tape.Begin())
            {
                model.Train();
                optimizer.ZeroGrad();
                var logits = model.Forward(input);
                var loss = Ops.CrossEntropy(logits, labels);
                if (step == 1)
                {
                    Golden.Close(f, "logits", logits, "train-mode logits");
                    Golden.Close(f, "loss", loss, "loss");
                }
                tape.Backward(loss);
                if (step == 1)
                {
                    foreach (var (key, p) in model.NamedParameters())
                        Golden.Close(f, "grad." + key, p.Grad!, "gradient of " + key);
                }
                optimizer.Step();
            }
            foreach (var (key, t) in model.StateDict())
            {
                using var expected = f.Tensor($"step{step}.{key}");
                NumericAssert.Close(expected.ReadOnlySpan, t.ReadOnlySpan, Tolerances.OptimizerStepRelative, Tolerances.GoldenAbsolute,
                    $"{optimizerName} step {step}: {key}");
            }
        }
    }

    [Fact]
    public void EvalModeLogitsMatchPyTorch()
    {
        using var f = GoldenFixture.Load("baseline_cnn_eval");
        using var model = LoadInitialModel(f);
        model.Eval();
        using var scope = TensorScope.Begin();
        var logits = model.Forward(f.Tensor("input"));
        Golden.Close(f, "logits", logits, "eval-mode logits");
    }
}
