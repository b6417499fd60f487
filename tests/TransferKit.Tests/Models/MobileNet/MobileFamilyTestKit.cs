using System.Globalization;
using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Nn;
using TransferKit.Tensors;
using TransferKit.Tests.Golden;
using Xunit.Sdk;
using GoldenAssert = TransferKit.Tests.Golden.Golden;

namespace TransferKit.Tests.Models;

/// <summary>
/// Shared checks of the MobileNet and EfficientNet tests: torchvision's key lists (Fixtures/Models/keys, written by
/// tools/fixtures/models_mobile_efficient.py), and the golden cases of the reduced models.
/// </summary>
internal static class MobileFamilyTestKit
{
    /// <summary>torchvision's state_dict of builder <paramref name="name"/>: (key, shape) in its order, num_batches_tracked left out.</summary>
    public static IReadOnlyList<(string Key, int[] Shape)> TorchvisionKeys(string name)
    {
        string path = Path.Combine(GoldenFixture.Folder, "Models", "keys", name + ".txt");
        if (!File.Exists(path)) throw new XunitException($"Key list {path} is missing; run /usr/bin/python3 tools/fixtures/models_mobile_efficient.py.");
        return [.. File.ReadAllLines(path).Where(l => l.Length > 0).Select(l =>
        {
            var parts = l.Split(' ');
            return (parts[0], parts[1].Split(',').Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToArray());
        })];
    }

    /// <summary>The model's keys and shapes equal torchvision's, and its parameters and buffers come in torchvision's order.</summary>
    public static void AssertMatchesTorchvision(Module model, string name)
    {
        var expected = TorchvisionKeys(name);
        var state = model.StateDict();
        var missing = expected.Select(e => e.Key).Where(k => !state.ContainsKey(k)).ToList();
        var extra = state.Keys.Where(k => expected.All(e => e.Key != k)).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{name}: missing {string.Join(", ", missing.Take(10))}; unexpected {string.Join(", ", extra.Take(10))}");
        foreach (var (key, shape) in expected)
            Assert.True(state[key].Shape.ToArray().SequenceEqual(shape), $"{name}: {key} is {state[key].Shape}, torchvision has [{string.Join(", ", shape)}]");
        var buffers = model.NamedBuffers().Select(kv => kv.Key).ToHashSet();
        Assert.Equal(expected.Select(e => e.Key).Where(k => !buffers.Contains(k)), model.NamedParameters().Select(kv => kv.Key));
        Assert.Equal(expected.Select(e => e.Key).Where(buffers.Contains), model.NamedBuffers().Select(kv => kv.Key));
    }

    /// <summary>Learnable parameters outside the head.</summary>
    public static long ParametersWithoutHead(ConvNet model) =>
        model.NamedParameters().Where(kv => !kv.Key.StartsWith(model.HeadName + ".", StringComparison.Ordinal)).Sum(kv => (long)kv.Value.Value.Length);

    /// <summary>BN running-statistic elements outside the head (Keras counts them as "non-trainable parameters").</summary>
    public static long BufferElementsWithoutHead(ConvNet model) =>
        model.NamedBuffers().Where(kv => !kv.Key.StartsWith(model.HeadName + ".", StringComparison.Ordinal)).Sum(kv => (long)kv.Value.Length);

    /// <summary>Every BN of the model is in exactly one Conv/BN pair, and each pair's BN has the conv's output channels.</summary>
    public static void AssertEveryBatchNormPaired(ConvNet model)
    {
        var pairs = model.ConvBatchNormPairs().ToList();
        var norms = model.NamedModules().Select(kv => kv.Value).OfType<BatchNorm2d>().ToList();
        Assert.Equal(norms.Count, pairs.Count);
        Assert.Equal(norms.Count, pairs.Select(p => p.Norm).Distinct().Count());
        Assert.All(pairs, p => Assert.Equal(p.Conv.Weight.Value.Shape[0], p.Norm.Channels));
        // Forward order: the pairs' BNs appear in registration order.
        Assert.Equal(norms, pairs.Select(p => p.Norm));
    }

    /// <summary>Running the units in two pieces, then the head, gives Forward's logits (eval mode, no tape).</summary>
    public static void AssertUnitsComposeToForward(ConvNet model, Tensor input, int classes)
    {
        model.Eval();
        using var scope = TensorScope.Begin();
        var logits = model.Forward(input);
        Assert.Equal(new Shape(input.Shape[0], classes), logits.Shape);
        int split = model.Units.Count / 2;
        var middle = model.ForwardUnits(input, 0, split);
        var features = model.ForwardUnits(middle, split, model.Units.Count);
        Assert.Equal(model.FeatureChannels, features.Shape[1]);
        var again = model.ForwardHead(features);
        Assert.Equal(logits.ToArray(), again.ToArray());
    }

    /// <summary>Loads the fixture's <c>state.*</c> tensors into <paramref name="model"/> (strict).</summary>
    public static void LoadState(Module model, GoldenFixture f)
    {
        var state = model.StateDict().Keys.ToDictionary(k => k, k => f.Tensor("state." + k));
        try
        {
            model.LoadStateDict(state);
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
        Assert.Equal(
            f.File.Tensors.Select(t => t.Name).Where(n => n.StartsWith("state.", StringComparison.Ordinal)).Select(n => n["state.".Length..]).Order(StringComparer.Ordinal),
            model.StateDict().Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// The reduced model against torchvision on the fixture: eval logits and pooled features; training-mode logits, loss,
    /// the stored gradients and the BN running statistics after the pass (dropout and stochastic depth off, as in the fixture).
    /// </summary>
    public static void AssertMatchesFixture(ConvNet model, string caseName)
    {
        using var f = GoldenFixture.Load("Models/" + caseName);
        LoadState(model, f);
        using var input = f.Tensor("input");

        model.Eval();
        using (var scope = TensorScope.Begin())
        {
            GoldenAssert.Close(f, "logits", model.Forward(input), caseName + " eval logits");
            var features = model.ForwardUnits(input, 0, model.Units.Count);
            GoldenAssert.Close(f, "features", Ops.Flatten(Ops.AdaptiveAvgPool2d(features, 1, 1)), caseName + " pooled features");
        }

        model.Train();
        foreach (var (_, m) in model.NamedModules())
            if (m is Dropout or StochasticDepth) m.Eval();
        model.ZeroGrad();
        using (var scope = TensorScope.Begin())
        using (var tape = Tape.Begin())
        {
            var logits = model.Forward(input);
            var loss = Ops.CrossEntropy(logits, f.Ints("labels"));
            GoldenAssert.Close(f, "train_logits", logits, caseName + " training-mode logits");
            GoldenAssert.Close(f, "loss", loss, caseName + " loss");
            tape.Backward(loss);
        }
        int checkedGrads = 0;
        foreach (var (key, p) in model.NamedParameters())
        {
            if (!f.Has("grad." + key)) continue;
            Assert.NotNull(p.Grad);
            GoldenAssert.Close(f, "grad." + key, p.Grad!, $"{caseName} gradient of {key}");
            checkedGrads++;
        }
        Assert.True(checkedGrads >= 5, $"{caseName}: only {checkedGrads} gradients compared");
        foreach (var (key, b) in model.NamedBuffers())
            GoldenAssert.Close(f, "after." + key, b, $"{caseName} {key} after the training pass");
    }
}
