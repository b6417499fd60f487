using TransferKit.Api;
using TransferKit.Training.Freezing;

namespace TransferKit.Samples.DogsVsCats;

/// <summary>One model to train and compare: how to configure the builder and at which learning rate.</summary>
/// <param name="Name">The row's name in the comparison table.</param>
/// <param name="Configure">Chooses the network, weights and freeze depth on a builder that already has the shared settings.</param>
/// <param name="LearningRate">Adam's learning rate for this run (for a fine-tune, of its first phase).</param>
/// <param name="FineTune">
/// Null for one fit. Otherwise a two-phase fine-tune (fastai's <c>fine_tune</c>, the Keras guide): the head trains first
/// with the backbone frozen, then this freeze depth trains at <see cref="ExperimentSettings.FineTuneLearningRate"/>.
/// Unfreezing at once would let the random head's first gradients wreck the pre-trained features.
/// </param>
public sealed record Candidate(string Name, Func<ImageClassifierBuilder, ImageClassifierBuilder> Configure, double LearningRate, FreezeDepth? FineTune = null);
