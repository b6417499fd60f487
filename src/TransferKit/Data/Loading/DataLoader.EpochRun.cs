using System.Runtime.ExceptionServices;
using TransferKit.Tensors;

namespace TransferKit.Data.Loading;

public sealed unsafe partial class DataLoader
{
    /// <summary>
    /// One epoch's schedule, driven by the consuming thread: it issues batches to the workers in order, keeping at most
    /// PrefetchBatches in flight, and hands them out in order.
    /// </summary>
    private sealed class EpochRun
    {
        private readonly DataLoader _loader;
        private readonly int[] _order;
        private readonly Queue<PendingBatch> _pending = new();
        private readonly CancellationTokenSource _abandon;
        private readonly CancellationToken _callerToken;
        private int _nextToIssue;

        public EpochRun(DataLoader loader, int epoch, CancellationToken callerToken)
        {
            _loader = loader;
            Epoch = epoch;
            _callerToken = callerToken;
            _order = loader.GetEpochOrder(epoch);
            _abandon = CancellationTokenSource.CreateLinkedTokenSource(callerToken, loader._disposing.Token);
        }

        public int Epoch { get; }

        /// <summary>Set when the epoch stops early; workers then skip its remaining samples.</summary>
        public bool IsAbandoned => _abandon.IsCancellationRequested;

        /// <summary>The next batch with at least one good image, or null at the end of the epoch.</summary>
        public ImageBatch? Next()
        {
            while (true)
            {
                Refill();
                if (!_pending.TryPeek(out PendingBatch? batch))
                {
                    return null;
                }

                try
                {
                    batch.Wait(_abandon.Token);
                }
                catch (OperationCanceledException) when (!_callerToken.IsCancellationRequested && _loader._disposed)
                {
                    throw new ObjectDisposedException(nameof(DataLoader), "The DataLoader was disposed while an epoch was being enumerated.");
                }

                _pending.Dequeue();
                if (batch.Error is Exception error)
                {
                    batch.Images.Dispose();
                    ExceptionDispatchInfo.Capture(error).Throw();
                }

                ImageBatch? ready = batch.Finish(_loader.Dataset, _loader._sampleLength);

                // Issue the next batch now, so it decodes while the caller trains on this one.
                Refill();
                if (ready is not null)
                {
                    TensorScope.Track(ready.Images);
                    return ready;
                }
            }
        }

        /// <summary>Stops the epoch: waits until no worker touches its batches, then frees them.</summary>
        public void Abandon()
        {
            _abandon.Cancel();
            while (_pending.TryDequeue(out PendingBatch? batch))
            {
                batch.WaitUntilReleased();
                batch.Images.Dispose();
            }

            _abandon.Dispose();
        }

        private void Refill()
        {
            int batchSize = _loader.Options.BatchSize;
            while (_nextToIssue < _loader.BatchesPerEpoch && _pending.Count < _loader.Options.PrefetchBatches)
            {
                int start = _nextToIssue * batchSize;
                int[] indices = _order.AsSpan(start, Math.Min(batchSize, _order.Length - start)).ToArray();
                var transform = _loader.Transform;

                // Persist: the tensor must not belong to whatever scope the consumer has open now; workers write into it later.
                var images = Tensor.Empty(indices.Length, 3, transform.OutputHeight, transform.OutputWidth).Persist();
                var batch = new PendingBatch(this, _nextToIssue++, indices, images);
                _pending.Enqueue(batch);
                _loader.RecordInFlight(_pending.Count);
                for (int slot = 0; slot < indices.Length; slot++)
                {
                    if (!_loader.TryQueue(new SampleJob(batch, slot)))
                    {
                        batch.CompleteMany(indices.Length - slot);
                        break;
                    }
                }
            }
        }
    }
}
