using TransferKit.Tensors;

namespace TransferKit.Data.Loading;

/// <summary>
/// One batch from a <see cref="DataLoader"/>: images as an NCHW float32 tensor, their labels and their dataset indices.
/// The caller owns it: dispose it after the step (or let the <see cref="TensorScope"/> that was open on the consuming
/// thread when the batch was handed out dispose <see cref="Images"/>, as if the tensor had been created there).
/// </summary>
public sealed class ImageBatch : IDisposable
{
    internal ImageBatch(Tensor images, int[] labels, int[] indices, int epoch, int batchIndex, int skipped)
    {
        Images = images;
        Labels = labels;
        Indices = indices;
        Epoch = epoch;
        BatchIndex = batchIndex;
        Skipped = skipped;
    }

    /// <summary>The transformed images, [Count, 3, H, W] with H and W the transform's output size.</summary>
    public Tensor Images { get; }

    /// <summary>Label of each image, or <see cref="Datasets.IImageDataset.NoLabel"/> for unlabelled data.</summary>
    public int[] Labels { get; }

    /// <summary>Dataset index of each image (for reports and predictions).</summary>
    public int[] Indices { get; }

    /// <summary>Number of images; less than the batch size for the last batch or when bad images were skipped.</summary>
    public int Count => Indices.Length;

    /// <summary>The epoch this batch belongs to.</summary>
    public int Epoch { get; }

    /// <summary>The batch's position in the epoch, counting batches whose every image was bad (which are not handed out).</summary>
    public int BatchIndex { get; }

    /// <summary>Bad images left out of this batch under <see cref="Datasets.BadImagePolicy.SkipAndReport"/>.</summary>
    public int Skipped { get; }

    /// <summary>Disposes <see cref="Images"/>. Idempotent.</summary>
    public void Dispose() => Images.Dispose();
}
