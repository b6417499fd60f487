using TransferKit.Autograd;
using TransferKit.Kernels.Activations;
using TransferKit.Tensors;

namespace TransferKit.Tests.Golden;

/// <summary>
/// Every per-op PyTorch fixture: forward output, every input gradient, and BN running statistics after the call.
/// The case list comes from the fixture folder, so a new fixture is tested without touching this file; an op this
/// file does not know fails the test rather than being skipped.
/// </summary>
public class OpsGoldenTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in GoldenFixture.AllCases().Where(c => !c.StartsWith("baseline_cnn", StringComparison.Ordinal))) data.Add(c);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string caseName)
    {
        using var f = GoldenFixture.Load(caseName);
        using var scope = TensorScope.Begin();
        using var tape = Tape.Begin();
        var inputs = new Dictionary<string, Tensor>();
        Tensor Leaf(string name)
        {
            var t = f.Tensor(name);
            t.RequiresGrad = true;
            inputs[name] = t;
            return t;
        }
        Tensor? OptionalLeaf(string name) => f.Has(name) ? Leaf(name) : null;

        string op = f.Meta("op");
        Tensor output = op switch
        {
            "conv2d" => Ops.Conv2d(Leaf("input"), Leaf("weight"), OptionalLeaf("bias"), ConvOptions(f)),
            "linear" => Ops.Linear(Leaf("input"), Leaf("weight"), OptionalLeaf("bias")),
            "batch_norm1d" or "batch_norm2d" => Ops.BatchNorm(Leaf("input"), Leaf("weight"), Leaf("bias"),
                inputs["running_mean"] = f.Tensor("running_mean"), inputs["running_var"] = f.Tensor("running_var"),
                f.MetaBool("training"), f.MetaFloat("momentum"), f.MetaFloat("eps")),
            "max_pool2d" => Ops.MaxPool2d(Leaf("input"), PoolOptions(f)),
            "avg_pool2d" => Ops.AvgPool2d(Leaf("input"), PoolOptions(f)),
            "adaptive_avg_pool2d" => Ops.AdaptiveAvgPool2d(Leaf("input"), f.MetaInts("output_size")[0], f.MetaInts("output_size")[1]),
            "adaptive_max_pool2d" => Ops.AdaptiveMaxPool2d(Leaf("input"), f.MetaInts("output_size")[0], f.MetaInts("output_size")[1]),
            "relu" or "relu6" or "silu" or "sigmoid" or "hardswish" or "tanh" => Ops.Activation(Leaf("input"), ActivationOf(op)),
            "cross_entropy" => Ops.CrossEntropy(Leaf("input"), f.Ints("labels"), f.Has("weight") ? f.Tensor("weight") : null, f.MetaFloat("label_smoothing")),
            "bce_with_logits" => Ops.BinaryCrossEntropyWithLogits(Leaf("input"), f.Tensor("targets"), f.Has("pos_weight") ? f.Floats("pos_weight").Single() : null),
            "log_softmax" => Ops.LogSoftmax(Leaf("input")),
            "softmax" => Ops.Softmax(Leaf("input")),
            "add" => Ops.Add(Leaf("input0"), Leaf("input1")),
            "flatten_linear" => Ops.Linear(Ops.Flatten(Leaf("input")), Leaf("weight"), null),
            "cat" => Ops.Concat([Leaf("input0"), Leaf("input1")]),
            "channel_scale_mul" => Ops.ChannelScale(Leaf("input"), Leaf("scale")),
            _ => throw new Xunit.Sdk.XunitException($"{caseName}: no golden test knows op '{op}'."),
        };

        Golden.Close(f, "output", output, $"{caseName} output");
        tape.Backward(output, f.Has("grad_output") ? f.Tensor("grad_output") : null);
        foreach (var (name, t) in inputs)
        {
            if (t.RequiresGrad)
                Golden.Close(f, "grad_" + name, t.Grad ?? Tensor.Zeros(t.Shape), $"{caseName} gradient of {name}");
            else
                Golden.Close(f, name + "_after", t, $"{caseName} {name} after the call");
        }
        foreach (var t in inputs.Values) t.Grad?.Dispose();
    }

    private static Conv2dOptions ConvOptions(GoldenFixture f)
    {
        int[] s = f.MetaInts("stride"), p = f.MetaInts("padding"), d = f.MetaInts("dilation");
        return new Conv2dOptions(s[0], s[1], p[0], p[1], d[0], d[1], int.Parse(f.Meta("groups"), System.Globalization.CultureInfo.InvariantCulture));
    }

    private static Pool2dOptions PoolOptions(GoldenFixture f)
    {
        int[] k = f.MetaInts("kernel"), s = f.MetaInts("stride"), p = f.MetaInts("padding");
        bool includePad = !f.File.Metadata.ContainsKey("count_include_pad") || f.MetaBool("count_include_pad");
        return new Pool2dOptions(k[0], k[1], s[0], s[1], p[0], p[1], f.MetaBool("ceil_mode"), includePad);
    }

    private static ActivationKind ActivationOf(string op) => op switch
    {
        "relu" => ActivationKind.ReLU,
        "relu6" => ActivationKind.ReLU6,
        "silu" => ActivationKind.SiLU,
        "sigmoid" => ActivationKind.Sigmoid,
        "hardswish" => ActivationKind.Hardswish,
        _ => ActivationKind.Tanh,
    };
}
