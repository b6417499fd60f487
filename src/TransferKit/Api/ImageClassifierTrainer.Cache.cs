using System.Diagnostics;
using TransferKit.Autograd;
using TransferKit.Data.Datasets;
using TransferKit.Data.Loading;
using TransferKit.Tensors;
using TransferKit.Training.Callbacks;
using TransferKit.Training.Caching;

namespace TransferKit.Api;

public sealed partial class ImageClassifierTrainer
{
    /// <summary>The activation cache of one fit: filling it from the frozen prefix, and its fingerprint.</summary>
    private sealed partial class FitRun
    {
        private ActivationCache? FillCache(DataLoader loader, string role)
        {
            var sampleShape = PrefixShape();
            var fingerprint = Fingerprint(loader.Dataset, role);
            var cache = ActivationCache.TryCreate(loader.Dataset.Count, sampleShape, fingerprint, _o.Cache, out string decision);
            _trainer.CacheDecision = role == "train" ? decision : _trainer.CacheDecision + "; validation: " + decision;
            if (cache is null || cache.IsComplete) return cache;
            _trainer.FreezePlan.SetTrainingMode(_net);
            // One pass in dataset order with the same (deterministic) transform; bad images are skipped and leave holes.
            using var inOrder = new DataLoader(loader.Dataset, loader.Transform, loader.Options with { Shuffle = false });
            int total = inOrder.BatchesPerEpoch, done = 0;
            var clock = Stopwatch.StartNew();
            int images = 0;
            foreach (var batch in inOrder.GetEpoch(0, _ct))
            {
                using var scope = TensorScope.Begin();
                using var noGrad = GradMode.NoGrad();
                using (batch)
                {
                    var prefix = _net.ForwardUnits(batch.Images, 0, _frozen);
                    int n = sampleShape.ElementCount;
                    for (int i = 0; i < batch.Count; i++) cache.Write(batch.Indices[i], prefix.ReadOnlySpan.Slice(i * n, n));
                    images += batch.Count;
                }
                _callbacks.OnBatchEnd(new TrainingProgress(TrainingPhase.CachingFeatures, 0, _plan.Epochs, done++, total, images / clock.Elapsed.TotalSeconds, null, null));
            }
            if (role == "train") _trainer.BadImages = inOrder.BadImages;
            if (cache.IsComplete) cache.Commit();
            return cache;
        }

        private Shape PrefixShape()
        {
            var map = _trainer.FeatureMap;
            if (_frozen == _net.Units.Count) return new Shape(map);
            using var scope = TensorScope.Begin();
            using var noGrad = GradMode.NoGrad();
            _net.Eval();
            var probe = _net.ForwardUnits(Tensor.Zeros(1, 3, _s.InputSize, _s.InputSize), 0, _frozen);
            return new Shape(probe.Shape.ToArray()[1..]);
        }

        private string Fingerprint(IImageDataset data, string role)
        {
            var f = new CacheFingerprint()
                .Add("role", role)
                .Add("network", _net.GetType().FullName ?? "")
                .Add("frozen", _frozen.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Add("preprocessing", System.Text.Json.JsonSerializer.Serialize(_trainer.Preprocessing, ModelMetadata.JsonOptions))
                .Add("precision", _o.Cache.Precision.ToString())
                .Add("count", data.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            for (int i = 0; i < data.Count; i++)
            {
                string name = data.GetSourceName(i);
                if (File.Exists(name)) f.AddFile(name);
                else f.Add("sample", name);
            }
            foreach (var module in _net.Units.Take(_frozen).SelectMany(u => u.Modules))
                foreach (var (key, t) in module.StateDict()) f.Add(key, t.ReadOnlySpan);
            return f.ToHex();
        }
    }
}
