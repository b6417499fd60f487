using TransferKit.Data.Datasets;
using TransferKit.Tensors;

namespace TransferKit.Data.Loading;

public sealed unsafe partial class DataLoader
{
    /// <summary>A batch being filled by the workers: one slot per sample, a countdown, and the first error.</summary>
    private sealed class PendingBatch
    {
        private readonly ManualResetEventSlim _done = new(initialState: false);
        private int _remaining;
        private Exception? _error;

        public PendingBatch(EpochRun run, int batchIndex, int[] indices, Tensor images)
        {
            Run = run;
            BatchIndex = batchIndex;
            Indices = indices;
            Images = images;
            Bad = new bool[indices.Length];
            _remaining = indices.Length;
        }

        public EpochRun Run { get; }

        public int BatchIndex { get; }

        public int[] Indices { get; }

        /// <summary>Written by the workers, slot by slot; [Indices.Length, 3, H, W].</summary>
        public Tensor Images { get; }

        /// <summary>Slots whose sample failed to decode (written by workers, read after <see cref="Wait"/>).</summary>
        public bool[] Bad { get; }

        public Exception? Error => Volatile.Read(ref _error);

        public void Fail(Exception error) => Interlocked.CompareExchange(ref _error, error, null);

        public void CompleteOne() => CompleteMany(1);

        public void CompleteMany(int count)
        {
            if (Interlocked.Add(ref _remaining, -count) == 0)
            {
                _done.Set();
            }
        }

        public void Wait(CancellationToken cancellationToken) => _done.Wait(cancellationToken);

        /// <summary>Waits, without cancellation, until every slot is done or skipped: only then may the tensor be freed.</summary>
        public void WaitUntilReleased()
        {
            _done.Wait();
            _done.Dispose();
        }

        /// <summary>Drops bad slots and wraps the rest as the caller's batch; null (tensor freed) when all were bad.</summary>
        public ImageBatch? Finish(IImageDataset dataset, int sampleLength)
        {
            _done.Dispose();
            int good = Bad.Count(b => !b);
            if (good == 0)
            {
                Images.Dispose();
                return null;
            }

            Tensor images = Images;
            var indices = new int[good];
            if (good < Indices.Length)
            {
                images = Tensor.Empty(good, Images.Shape[1], Images.Shape[2], Images.Shape[3]).Persist();
                for (int slot = 0, k = 0; slot < Indices.Length; slot++)
                {
                    if (!Bad[slot])
                    {
                        Images.ReadOnlySpan.Slice(slot * sampleLength, sampleLength).CopyTo(images.Span.Slice(k * sampleLength, sampleLength));
                        k++;
                    }
                }

                Images.Dispose();
            }

            for (int slot = 0, k = 0; slot < Indices.Length; slot++)
            {
                if (!Bad[slot])
                {
                    indices[k++] = Indices[slot];
                }
            }

            int[] labels = [.. indices.Select(dataset.GetLabel)];
            return new ImageBatch(images, labels, indices, Run.Epoch, BatchIndex, Indices.Length - good);
        }
    }
}
