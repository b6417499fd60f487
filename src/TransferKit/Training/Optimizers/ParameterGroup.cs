using TransferKit.Nn;

namespace TransferKit.Training.Optimizers;

/// <summary>
/// Parameters that share a learning-rate multiplier, for discriminative learning rates
/// (a lower rate for the backbone than the head, as fastai's <c>slice</c>).
/// </summary>
/// <param name="Parameters">The parameters; frozen ones are skipped at each step.</param>
/// <param name="LearningRateMultiplier">Multiplies the optimizer's learning rate for this group (default 1).</param>
public sealed record ParameterGroup(IReadOnlyList<Parameter> Parameters, float LearningRateMultiplier = 1f);
