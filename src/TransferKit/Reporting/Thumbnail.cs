using TransferKit.Data.Datasets;
using TransferKit.Data.Decoding;
using TransferKit.Data.Preprocessing;
using TransferKit.Models;
using TransferKit.Training.Callbacks;

namespace TransferKit.Reporting;

/// <summary>Small JPEG pictures of dataset samples for the report, decoded again from the dataset on demand.</summary>
internal static class Thumbnail
{
    private const int Quality = 85;

    /// <summary>
    /// Sample <paramref name="index"/> scaled (never enlarged) so its longer side is at most <paramref name="size"/>
    /// pixels, as a JPEG; empty when the sample can no longer be read or the JPEG encoder is missing, since a report's
    /// pictures must not fail the training run that makes them.
    /// </summary>
    public static ReadOnlyMemory<byte> Of(IImageDataset data, int index, int size = MisclassifiedImage.ThumbnailSize)
    {
        try
        {
            // MinimumSize lets the JPEG decoder skip most of a large photo's pixels (DCT scaling).
            var image = data.Decode(index, new ImageDecodeOptions { MinimumSize = size });
            return Encode(image, size);
        }
        catch (TransferKitException)
        {
            return ReadOnlyMemory<byte>.Empty;
        }
        catch (IOException)
        {
            return ReadOnlyMemory<byte>.Empty;
        }
    }

    /// <summary>Scales <paramref name="image"/> to fit <paramref name="size"/> (never enlarging) and encodes it as a JPEG.</summary>
    internal static byte[] Encode(DecodedImage image, int size)
    {
        double scale = Math.Min(1.0, (double)size / Math.Max(image.Width, image.Height));
        int width = Math.Max(1, (int)Math.Round(image.Width * scale)), height = Math.Max(1, (int)Math.Round(image.Height * scale));
        var small = scale < 1 ? ImageResizer.Resize(image, width, height, ResizeInterpolation.Bilinear) : image;
        return JpegEncoder.Encode(small, Quality);
    }
}
