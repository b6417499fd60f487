using TransferKit.Kernels.Activations;

namespace TransferKit.Models;

/// <summary>
/// One hidden block of a head, applied in this order: optional BatchNorm on its input, Linear to <see cref="Units"/>,
/// the activation, optional Dropout — the seed articles' [BN, Dense, Dropout] blocks.
/// </summary>
/// <param name="Units">Output features of the Linear layer.</param>
/// <param name="BatchNorm">Whether a BatchNorm1d precedes the Linear layer.</param>
/// <param name="Activation">Activation after the Linear layer (ReLU by default).</param>
/// <param name="Dropout">Dropout probability after the activation; 0 for none.</param>
public sealed record HiddenLayerSpec(int Units, bool BatchNorm = false, ActivationKind Activation = ActivationKind.ReLU, float Dropout = 0f);
