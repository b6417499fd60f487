using TransferKit.Api;
using TransferKit.Models;
using TransferKit.Weights;

namespace TransferKit.Testing;

/// <summary>
/// Classifier presets small enough for unit tests: a <see cref="BaselineCnn"/> of two blocks (8 and 16 channels,
/// 1,450 parameters with two classes) on 32 x 32 inputs, which trains an epoch of 32 images in about 30 ms on two cores.
/// They go through the same builder, trainer, model file and predictor as a real network, so a test of your
/// code's plumbing exercises the real thing without downloads.
/// </summary>
public static class TinyModels
{
    /// <summary>The input size the presets train at, in pixels (the images are resized to it).</summary>
    public const int InputSize = TestImages.DefaultSize;

    /// <summary>Output channels of the tiny network's two [Conv3x3, BatchNorm, ReLU, MaxPool2] blocks.</summary>
    public static IReadOnlyList<int> Channels { get; } = [8, 16];

    /// <summary>The tiny network's shape, for <c>new BaselineCnn(...)</c> or <c>UseBaselineCnn(...)</c>.</summary>
    /// <param name="classes">Outputs of its own Linear classifier, at least 1.</param>
    /// <param name="seed">Seed of its weight initialisation.</param>
    public static BaselineCnnOptions Backbone(int classes = 2, int seed = 0) =>
        new() { Channels = Channels, Classes = classes, Seed = seed };

    /// <summary>
    /// A builder for the tiny network trained from scratch: <see cref="InputSize"/> pixels, global average pooling and a
    /// Linear head, Adam at 1e-2 (a network this small tolerates it and learns in fewer steps), batch size 8, <paramref name="epochs"/> epochs. Chain more calls as usual: the classes
    /// (<c>WithClasses</c>), a head, or <c>WithTraining(o =&gt; ...)</c>, which changes only what it sets.
    /// </summary>
    /// <param name="epochs">Training epochs, at least 1 (checked at <c>Build()</c>).</param>
    /// <param name="seed">Seed of initialisation, shuffling and dropout; the same seed gives bit-identical weights.</param>
    /// <returns>The builder; call <c>Build()</c> to get the trainer.</returns>
    public static ImageClassifierBuilder Classifier(int epochs = 1, int seed = 0) =>
        ImageClassifier.Create()
            .UseBaselineCnn(Backbone(seed: seed))
            .WithInputSize(InputSize)
            .WithTraining(o =>
            {
                o.Epochs = epochs;
                o.BatchSize = 8;
                o.LearningRate = 1e-2;
                o.Seed = seed;
            });

    /// <summary>
    /// Writes random "pre-trained" weights of the tiny network to a safetensors file with torchvision-style keys
    /// (<c>features.0.0.weight</c>, ...), to test transfer-learning code (<c>UsePretrainedWeights</c>, freezing, the
    /// activation cache) offline. The BatchNorm running statistics are randomised too, so that a frozen backbone in
    /// inference mode behaves measurably differently from one in training mode.
    /// </summary>
    /// <param name="path">The file to write (atomically); its folder must exist.</param>
    /// <param name="seed">Seed of every value written.</param>
    /// <returns>The full path written.</returns>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static string WriteBackboneWeights(string path, int seed = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        // Five classifier outputs on purpose: a head that does not fit the target task is what real checkpoints have,
        // and the trainer must replace it.
        using var network = new BaselineCnn(Backbone(classes: 5, seed: seed));
        var random = new Random(seed);
        foreach (var (key, tensor) in network.StateDict())
        {
            bool variance = key.EndsWith("running_var", StringComparison.Ordinal);
            if (!variance && !key.EndsWith("running_mean", StringComparison.Ordinal))
            {
                continue;
            }

            var values = tensor.Span;
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = variance ? 0.5f + (float)random.NextDouble() : (float)random.NextDouble() - 0.5f;
            }
        }

        string full = Path.GetFullPath(path);
        SafetensorsWriter.Write(full, network.StateDict());
        return full;
    }

    /// <summary>
    /// A builder for transfer learning from <paramref name="backboneWeights"/> (written by <see cref="WriteBackboneWeights"/>):
    /// the tiny network with those weights, its backbone frozen (the default with pre-trained weights), and a new head,
    /// trained as <see cref="Classifier"/> is. Change the freeze depth with <c>TrainLastUnits(1)</c> and the like.
    /// </summary>
    /// <param name="backboneWeights">The safetensors file of the tiny network's weights.</param>
    /// <param name="epochs">Training epochs, at least 1.</param>
    /// <param name="seed">Seed of the new head, shuffling and dropout.</param>
    /// <returns>The builder; the file is read at <c>Build()</c> when classes are known, otherwise at the first fit.</returns>
    public static ImageClassifierBuilder TransferClassifier(string backboneWeights, int epochs = 1, int seed = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(backboneWeights);
        return Classifier(epochs, seed).UsePretrainedWeights(backboneWeights);
    }
}
