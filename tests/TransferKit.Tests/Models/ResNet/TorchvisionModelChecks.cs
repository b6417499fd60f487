using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Nn;
using TransferKit.Tensors;
using TransferKit.Tests.Golden;
using Xunit.Sdk;
using GoldenCheck = TransferKit.Tests.Golden.Golden;

namespace TransferKit.Tests.Models;

/// <summary>
/// Checks shared by the ResNet, VGG and DenseNet tests: key lists against torchvision's, unit composition, and the
/// golden comparison with the reduced models of <c>tools/fixtures/models_resnet_vgg_densenet.py</c>.
/// </summary>
internal static class TorchvisionModelChecks
{
    /// <summary>The model's state-dict keys and shapes equal <c>Fixtures/Models/keys/&lt;name&gt;.txt</c> (torchvision 0.14's, no num_batches_tracked).</summary>
    public static void KeysMatchTorchvision(Module model, string name)
    {
        string path = Path.Combine(GoldenFixture.Folder, "Models", "keys", name + ".txt");
        var expected = File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => p[1]);
        var actual = model.StateDict().ToDictionary(kv => kv.Key, kv => string.Join(',', kv.Value.Shape.ToArray()));
        var missing = expected.Keys.Except(actual.Keys).Order(StringComparer.Ordinal).ToList();
        var unexpected = actual.Keys.Except(expected.Keys).Order(StringComparer.Ordinal).ToList();
        var shapes = expected.Where(kv => actual.TryGetValue(kv.Key, out var s) && s != kv.Value)
            .Select(kv => $"{kv.Key}: torchvision [{kv.Value}], ours [{actual[kv.Key]}]").ToList();
        if (missing.Count + unexpected.Count + shapes.Count > 0)
            throw new XunitException($"{name}: missing {string.Join(", ", missing.Take(10))}; unexpected {string.Join(", ", unexpected.Take(10))}; shapes {string.Join("; ", shapes.Take(10))}.");
    }

    /// <summary>
    /// Each pair's conv and BN are modules of <paramref name="model"/>, no conv or BN is paired twice, and the number of pairs
    /// is <paramref name="expectedPairs"/>.
    /// </summary>
    public static void PairsAreDistinctModules(ConvNet model, int expectedPairs)
    {
        var modules = model.NamedModules().Select(kv => kv.Value).ToHashSet(ReferenceEqualityComparer.Instance);
        var pairs = model.ConvBatchNormPairs().ToList();
        Assert.Equal(expectedPairs, pairs.Count);
        Assert.All(pairs, p => Assert.True(modules.Contains(p.Conv) && modules.Contains(p.Norm), "a pair names a module outside the model"));
        Assert.Equal(pairs.Count, pairs.Select(p => p.Conv).Distinct().Count());
        Assert.Equal(pairs.Count, pairs.Select(p => p.Norm).Distinct().Count());
        Assert.All(pairs, p => Assert.Equal(p.Conv.Weight.Value.Shape[0], p.Norm.Channels));
    }

    /// <summary>
    /// In eval mode, Forward equals ForwardHead of the units run in two pieces split at every unit boundary, bit for bit.
    /// </summary>
    public static void UnitsComposeToForward(ConvNet model, Tensor input)
    {
        model.Eval();
        using var scope = TensorScope.Begin();
        var expected = model.Forward(input).ToArray();
        for (int split = 0; split <= model.Units.Count; split++)
        {
            var prefix = model.ForwardUnits(input, 0, split);
            var features = model.ForwardUnits(prefix, split, model.Units.Count);
            Assert.Equal(model.FeatureChannels, features.Shape[1]);
            var logits = model.ForwardHead(features);
            Assert.True(expected.AsSpan().SequenceEqual(logits.ToArray()), $"split at unit {split} ({UnitName(model, split)}) changes the logits");
        }
    }

    /// <summary>Replacing the head changes the output width and the parameter count by the heads' difference.</summary>
    public static void ReplaceHeadWorks(ConvNet model, Func<Module> newHead, int newClasses, Tensor input)
    {
        long withoutHead = model.ParameterCount() - model.Head.ParameterCount();
        var head = newHead();
        model.ReplaceHead(head);
        Assert.Same(head, model.Head);
        Assert.Equal(withoutHead + head.ParameterCount(), model.ParameterCount());
        Assert.All(model.StateDict().Keys.Where(k => k.StartsWith(model.HeadName + ".", StringComparison.Ordinal)),
            k => Assert.Contains(k, head.StateDict().Keys.Select(h => model.HeadName + "." + h)));
        model.Eval();
        using var scope = TensorScope.Begin();
        Assert.Equal(new Shape(input.Shape[0], newClasses), model.Forward(input).Shape);
    }

    /// <summary>
    /// Loads the fixture's state into <paramref name="model"/> (strict: every key must match), then compares eval-mode logits
    /// and pooled features, train-mode logits and loss, the stored parameter gradients, and the BN running statistics
    /// after the train-mode pass.
    /// </summary>
    public static void MatchesPyTorch(ConvNet model, string caseName, Func<Tensor, Tensor> poolFeatures)
    {
        using var f = GoldenFixture.Load("Models/" + caseName);
        var state = model.StateDict().Keys.ToDictionary(k => k, k => f.Tensor("state." + k));
        var unexpected = f.File.Tensors.Select(t => t.Name).Where(n => n.StartsWith("state.", StringComparison.Ordinal))
            .Select(n => n["state.".Length..]).Except(state.Keys).ToList();
        Assert.True(unexpected.Count == 0, $"{caseName}: PyTorch keys we lack: {string.Join(", ", unexpected)}");
        model.LoadStateDict(state);
        foreach (var t in state.Values) t.Dispose();

        using var input = f.Tensor("input");
        int[] labels = f.Ints("labels");
        using (var scope = TensorScope.Begin())
        {
            model.Eval();
            GoldenCheck.Close(f, "logits", model.Forward(input), $"{caseName}: eval logits");
            var features = model.ForwardUnits(input, 0, model.Units.Count);
            GoldenCheck.Close(f, "features", poolFeatures(features), $"{caseName}: pooled features");
        }

        using (var scope = TensorScope.Begin())
        using (var tape = Tape.Begin())
        {
            model.Train();
            model.ZeroGrad();
            var logits = model.Forward(input);
            GoldenCheck.Close(f, "train_logits", logits, $"{caseName}: train-mode logits");
            var loss = Ops.CrossEntropy(logits, labels);
            GoldenCheck.Close(f, "loss", loss, $"{caseName}: loss");
            tape.Backward(loss);
            var parameters = model.NamedParameters().ToDictionary(kv => kv.Key, kv => kv.Value);
            foreach (string key in f.Meta("grad_keys").Split(','))
                GoldenCheck.Close(f, "grad." + key, parameters[key].Grad!, $"{caseName}: gradient of {key}");
        }
        foreach (var (key, buffer) in model.NamedBuffers())
            GoldenCheck.Close(f, "after_train." + key, buffer, $"{caseName}: {key} after the train-mode pass");
        model.ZeroGrad();
    }

    /// <summary>A deterministic input batch [n, 3, size, size] in [-1, 1).</summary>
    public static Tensor Input(int n, int size, int seed = 1)
    {
        var random = new Random(seed);
        var data = new float[n * 3 * size * size];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
        return Tensor.FromArray(data, n, 3, size, size);
    }

    private static string UnitName(ConvNet model, int index) =>
        index < model.Units.Count ? model.Units[index].Name : "end";
}
