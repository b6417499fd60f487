using TransferKit.Models;
using TransferKit.Nn;

namespace TransferKit.Training.Freezing;

/// <summary>
/// A resolved freeze: the first <see cref="FrozenUnits"/> units of a network are frozen. Applying it marks parameters
/// trainable or frozen; <see cref="SetTrainingMode"/> puts the network in training mode while the frozen units' BatchNorm
/// layers keep using their running statistics (the Keras advice), unless <see cref="TrainFrozenBatchNorm"/> is set
/// (fastai's <c>train_bn</c>: frozen BN layers keep learning their affine parameters and batch statistics).
/// </summary>
/// <param name="FrozenUnits">Number of leading units frozen.</param>
/// <param name="TrainFrozenBatchNorm">Whether BatchNorm inside the frozen units still trains.</param>
public sealed record FreezePlan(int FrozenUnits, bool TrainFrozenBatchNorm = false)
{
    /// <summary>
    /// Whether the frozen prefix computes a fixed function of its input (no BN statistics being learned), so that its
    /// output can be computed once and cached.
    /// </summary>
    public bool PrefixIsFixed => !TrainFrozenBatchNorm;

    /// <summary>Resolves <paramref name="depth"/> against <paramref name="network"/>.</summary>
    public static FreezePlan For(ConvNet network, FreezeDepth depth, bool trainFrozenBatchNorm = false)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(depth);
        return new FreezePlan(depth.Resolve(network), trainFrozenBatchNorm);
    }

    /// <summary>Marks the frozen units' parameters frozen (BN's too, unless BN trains) and everything after them trainable.</summary>
    public void Apply(ConvNet network)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.SetTrainable(true);
        foreach (var module in FrozenModules(network))
        {
            module.SetTrainable(false);
            if (TrainFrozenBatchNorm)
                foreach (var (_, bn) in module.NamedModules().Where(kv => kv.Value is BatchNorm)) bn.SetTrainable(true);
        }
    }

    /// <summary>Training mode for the trainable part; frozen units in evaluation mode except their BN when it trains.</summary>
    public void SetTrainingMode(ConvNet network)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.Train();
        foreach (var module in FrozenModules(network))
        {
            module.Eval();
            if (TrainFrozenBatchNorm)
                foreach (var (_, bn) in module.NamedModules().Where(kv => kv.Value is BatchNorm)) bn.Train();
        }
    }

    /// <summary>Number of parameters that will train.</summary>
    public static long TrainableParameterCount(ConvNet network) => network.ParameterCount(trainableOnly: true);

    private IEnumerable<Module> FrozenModules(ConvNet network) => network.Units.Take(FrozenUnits).SelectMany(u => u.Modules);
}
