using TransferKit.Api;

namespace TransferKit.Samples.DogsVsCats;

/// <summary>One model to train and compare: how to configure the builder and at which learning rate.</summary>
/// <param name="Name">The row's name in the comparison table.</param>
/// <param name="Configure">Chooses the network, weights and freeze depth on a builder that already has the shared settings.</param>
/// <param name="LearningRate">Adam's learning rate for this run.</param>
public sealed record Candidate(string Name, Func<ImageClassifierBuilder, ImageClassifierBuilder> Configure, double LearningRate);
