using System.Diagnostics;
using TransferKit.Autograd;
using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;
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
            // Only a file outlives the run, so only a file cache needs the fingerprint of everything it depends on.
            bool file = _o.Cache.StoresInFile(ActivationCache.EstimateBytes(loader.Dataset.Count, sampleShape.ElementCount, _o.Cache.Precision));
            var fingerprint = file ? Fingerprint(loader.Dataset, role) : new CacheFingerprint().Add("role", role).ToHex();
            var cache = ActivationCache.TryCreate(loader.Dataset.Count, sampleShape, fingerprint, _o.Cache, out string decision);
            _trainer.CacheDecision = role == "train" ? decision : _trainer.CacheDecision + "; validation: " + decision;
            if (cache is null) return null;
            if (cache.WasReused)
            {
                CheckHoles(cache, loader, role);
                return cache;
            }
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
                    Tensor prefix;
                    using (FrozenPrecision()) prefix = _net.ForwardUnits(batch.Images, 0, _frozen);
                    int n = sampleShape.ElementCount;
                    for (int i = 0; i < batch.Count; i++)
                    {
                        try
                        {
                            cache.Write(batch.Indices[i], prefix.ReadOnlySpan.Slice(i * n, n));
                        }
                        catch (CachePrecisionException e)
                        {
                            // The cache knows indices only; the user needs the image.
                            throw new CachePrecisionException(e.SampleIndex, e.Magnitude, loader.Dataset.GetSourceName(e.SampleIndex));
                        }
                    }
                    images += batch.Count;
                }
                _callbacks.OnBatchEnd(new TrainingProgress(TrainingPhase.CachingFeatures, 1, _plan.Epochs, done++, total, images / clock.Elapsed.TotalSeconds, null, null));
            }
            if (role == "train") _trainer.BadImages = inOrder.BadImages;
            // The pass saw every sample, so what is missing is unreadable and the file may be reused with its holes.
            cache.Commit();
            return cache;
        }

        /// <summary>
        /// A reused cache's holes are the images its first run could not read. They are decoded again, which costs a few
        /// images and gives this run the same bad-image report (and, under the strict policy, the same error) as the first.
        /// </summary>
        private void CheckHoles(ActivationCache cache, DataLoader loader, string role)
        {
            var report = new BadImageReport();
            foreach (int index in cache.Unfilled())
            {
                try
                {
                    loader.Dataset.Decode(index, loader.Options.DecodeOptions);
                }
                catch (ImageDecodeException e)
                {
                    var bad = BadImage.From(index, e);
                    if (loader.Options.BadImagePolicy == BadImagePolicy.Strict) throw new BadImagesException([bad]);
                    report.Add(bad);
                    continue;
                }
                // Readable now, yet the fingerprint says the data is unchanged: the cache was written by something else.
                throw new TransferKitException(
                    $"{cache.FilePath}: this {role} activation cache lacks sample {index} ({loader.Dataset.GetSourceName(index)}), which is readable; delete the file to rebuild it.");
            }
            if (role == "train") _trainer.BadImages = report;
        }

        /// <summary>A sample of a dataset that is neither files nor in memory, decoded: its pixels are what the cache depends on.</summary>
        private static ReadOnlySpan<byte> DecodedPixels(IImageDataset data, int index)
        {
            try
            {
                var image = data.Decode(index);
                return image.Pixels;
            }
            catch (ImageDecodeException)
            {
                return "unreadable"u8;
            }
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
                .Add("preprocessing", System.Text.Json.JsonSerializer.Serialize(_trainer.Preprocessing, ModelJsonContext.Default.PreprocessingSpec))
                .Add("precision", _o.Cache.Precision.ToString())
                .Add("frozen precision", FrozenInBFloat16 ? "bfloat16" : "float32")
                .Add("count", data.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            for (int i = 0; i < data.Count; i++)
            {
                string name = data.GetSourceName(i);
                if (File.Exists(name)) f.AddFile(name);
                else if (data is ISampleContent content && content.GetSampleContent(i) is { } bytes) f.Add(name, bytes.Span);
                else f.Add(name, DecodedPixels(data, i));
            }
            foreach (var module in _net.Units.Take(_frozen).SelectMany(u => u.Modules))
                foreach (var (key, t) in module.StateDict()) f.Add(key, t.ReadOnlySpan);
            return f.ToHex();
        }
    }
}
