using TransferKit.Kernels.Gemm;
using TransferKit.Models;
using TransferKit.Models.Onnx;
using TransferKit.Tensors;
using TransferKit.Training;
using TransferKit.Training.Callbacks;

namespace TransferKit.Api;

public sealed partial class ImageClassifierTrainer
{
    /// <summary>
    /// Whether the network started from weights that were learned: a weights file or descriptor, a saved model continued,
    /// or an ONNX backbone (which always brings its graph's weights). False for a network initialised at random.
    /// </summary>
    internal bool StartsFromLearnedWeights { get; private set; }

    /// <summary>The warnings of one fit: found once each, passed to the callbacks at once and kept for the result.</summary>
    private sealed partial class FitRun
    {
        private readonly List<TrainingWarning> _warnings = [];
        private bool _featuresChecked;

        private void Warn(TrainingWarning warning)
        {
            _warnings.Add(warning);
            _callbacks.OnWarning(warning);
        }

        /// <summary>Whether the frozen units run their forward pass in bfloat16: asked for, and available here.</summary>
        private bool FrozenInBFloat16 => _frozen > 0 && InferencePrecisionSupport.Effective(_o.FrozenPrecision) == InferencePrecision.BFloat16;

        /// <summary>Opens the frozen units' precision on this thread, around their forward pass (never around a training step).</summary>
        private BFloat16Scope.Region FrozenPrecision() => BFloat16Scope.Enter(FrozenInBFloat16);

        /// <summary>bfloat16 was asked for the frozen units on a machine that cannot run it: they run in float32.</summary>
        private void WarnIfBFloat16Unavailable()
        {
            if (_frozen == 0 || InferencePrecisionSupport.IsAvailable(_o.FrozenPrecision)) return;
            Warn(new TrainingWarning(TrainingWarningKind.BFloat16Unavailable,
                $"FrozenPrecision is BFloat16, but {InferencePrecisionSupport.UnavailableReason(_o.FrozenPrecision)}; the frozen units run in Float32."));
        }

        /// <summary>Frozen units that were never loaded keep their random initialisation for the whole run.</summary>
        private void WarnIfFrozenWeightsAreRandom()
        {
            if (_frozen == 0 || _trainer.StartsFromLearnedWeights) return;
            Warn(new TrainingWarning(TrainingWarningKind.RandomFrozenWeights, FormattableString.Invariant(
                $"{_frozen} of the {_net.Units.Count} units are frozen with random weights (no pre-trained weights were loaded), so they will never learn; load weights with UsePretrainedWeights(...) (--weights), or freeze nothing to train from scratch.")));
        }

        /// <summary>The first batch of frozen features (computed or read from the cache) is checked once per fit.</summary>
        private void CheckFrozenFeatures(Tensor features)
        {
            if (_featuresChecked || _frozen == 0 || features.Rank < 2) return;
            _featuresChecked = true;
            if (FrozenFeatureCheck.Inspect(features.ReadOnlySpan, features.Shape[0], features.Shape[1]) is { } warning) Warn(warning);
        }
    }

    /// <summary>Whether <paramref name="network"/> as prepared from <paramref name="settings"/> holds learned weights.</summary>
    private static bool HoldsLearnedWeights(TrainerSettings settings, ConvNet network) =>
        settings.WeightsPath is not null || settings.Weights is not null || settings.ContinueFromModelPath is not null || network is OnnxBackbone;
}
