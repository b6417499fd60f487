using TransferKit.Data.Decoding;
using TransferKit.Models;

namespace TransferKit.Data.Preprocessing;

/// <summary>
/// Resizing and cropping of 8-bit RGB images with the results of Pillow 9.4 and torchvision 0.14 on PIL images:
/// <see cref="Resize"/> gives the bytes of <c>Image.resize(size, BILINEAR or BICUBIC)</c> (antialiased when shrinking),
/// <see cref="ShorterSideSize"/> and <see cref="CenterCropOffset"/> round as <c>transforms.Resize(int)</c> and
/// <c>transforms.CenterCrop</c> do, and <see cref="ResizeSizeForCropFraction"/> as timm's <c>crop_pct</c>.
/// </summary>
public static class ImageResizer
{
    /// <summary>
    /// The size torchvision's <c>Resize(size)</c> gives a <paramref name="width"/> x <paramref name="height"/> image:
    /// the shorter side becomes <paramref name="size"/>, the longer <c>int(size * long / short)</c> (truncated).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1.</exception>
    public static (int Width, int Height) ShorterSideSize(int width, int height, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        int shorter = Math.Min(width, height), longer = Math.Max(width, height);
        int newLonger = (int)((double)((long)size * longer) / shorter);
        return width <= height ? (size, newLonger) : (newLonger, size);
    }

    /// <summary>
    /// Offset of a centred crop of <paramref name="cropSize"/> pixels in <paramref name="size"/>, as torchvision's
    /// <c>CenterCrop</c>: <c>int(round((size - cropSize) / 2))</c> with round-half-to-even.
    /// </summary>
    public static int CenterCropOffset(int size, int cropSize) => (int)Math.Round((size - cropSize) / 2.0, MidpointRounding.ToEven);

    /// <summary>
    /// The resize size for a crop fraction, as timm's <c>crop_pct</c>: <c>floor(inputSize / cropFraction)</c>
    /// (224 at 0.875 gives 256).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputSize"/> is less than 1, or the fraction is not in (0, 1].</exception>
    public static int ResizeSizeForCropFraction(int inputSize, double cropFraction)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        if (!(cropFraction > 0 && cropFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(cropFraction), cropFraction, "The crop fraction must be in (0, 1].");
        return (int)Math.Floor(inputSize / cropFraction);
    }

    /// <summary>Resizes the whole image to <paramref name="width"/> x <paramref name="height"/> (Pillow's exact bytes).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1.</exception>
    public static DecodedImage Resize(DecodedImage image, int width, int height, ResizeInterpolation interpolation)
    {
        ArgumentNullException.ThrowIfNull(image);
        return ResizeRegion(image, CropBox.Full(image.Width, image.Height), width, height, interpolation);
    }

    /// <summary>
    /// Crops <paramref name="region"/> and resizes the crop to <paramref name="width"/> x <paramref name="height"/>, as
    /// torchvision's <c>resized_crop</c> on a PIL image (the filter sees only pixels inside the region).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1, or the region is empty or outside the image.</exception>
    public static DecodedImage ResizeRegion(DecodedImage image, CropBox region, int width, int height, ResizeInterpolation interpolation)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        region.CheckFitsIn(image.Width, image.Height, nameof(region));
        var pixels = new byte[checked(width * height * 3)];
        Resampler.Resample(image.Pixels, image.Width * 3, region, width, height, CropBox.Full(width, height), interpolation, pixels);
        return new DecodedImage(width, height, pixels, image.SourceFormat);
    }

    /// <summary>Resizes so that the shorter side is <paramref name="size"/> (see <see cref="ShorterSideSize"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is less than 1.</exception>
    public static DecodedImage ResizeShorterSide(DecodedImage image, int size, ResizeInterpolation interpolation)
    {
        ArgumentNullException.ThrowIfNull(image);
        (int w, int h) = ShorterSideSize(image.Width, image.Height, size);
        return Resize(image, w, h, interpolation);
    }

    /// <summary>Copies the pixels inside <paramref name="box"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The box is empty or outside the image.</exception>
    public static DecodedImage Crop(DecodedImage image, CropBox box)
    {
        ArgumentNullException.ThrowIfNull(image);
        box.CheckFitsIn(image.Width, image.Height, nameof(box));
        var pixels = new byte[box.Width * box.Height * 3];
        for (int y = 0; y < box.Height; y++)
            image.Pixels.AsSpan((((box.Top + y) * image.Width) + box.Left) * 3, box.Width * 3).CopyTo(pixels.AsSpan(y * box.Width * 3));
        return new DecodedImage(box.Width, box.Height, pixels, image.SourceFormat);
    }

    /// <summary>The centred <paramref name="width"/> x <paramref name="height"/> crop, placed as torchvision's <c>CenterCrop</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The crop is empty or larger than the image (torchvision would pad).</exception>
    public static DecodedImage CenterCrop(DecodedImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Crop(image, CenterCropBox(image.Width, image.Height, width, height));
    }

    /// <summary>The box of a centred <paramref name="cropWidth"/> x <paramref name="cropHeight"/> crop (see <see cref="CenterCropOffset"/>).</summary>
    public static CropBox CenterCropBox(int width, int height, int cropWidth, int cropHeight) =>
        new(CenterCropOffset(height, cropHeight), CenterCropOffset(width, cropWidth), cropHeight, cropWidth);

    /// <summary>
    /// Resizes the shorter side to <paramref name="resizeSize"/> and takes the centred <paramref name="cropWidth"/> x
    /// <paramref name="cropHeight"/> crop, writing RGB bytes (HWC) to <paramref name="destination"/>. The bytes equal
    /// <c>CenterCrop(ResizeShorterSide(image))</c>; only the cropped pixels are computed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1, or the crop is larger than the resized image.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than cropWidth * cropHeight * 3.</exception>
    public static void ResizeShorterSideAndCenterCrop(
        DecodedImage image, int resizeSize, int cropWidth, int cropHeight, ResizeInterpolation interpolation, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        (int w, int h) = ShorterSideSize(image.Width, image.Height, resizeSize);
        CropBox window = CenterCropBox(w, h, cropWidth, cropHeight);
        window.CheckFitsIn(w, h, nameof(cropWidth));
        if (destination.Length < cropWidth * cropHeight * 3)
            throw new ArgumentException($"Destination holds {destination.Length} bytes; {cropWidth}x{cropHeight} RGB needs {cropWidth * cropHeight * 3}.", nameof(destination));
        Resampler.Resample(image.Pixels, image.Width * 3, CropBox.Full(image.Width, image.Height), w, h, window, interpolation, destination);
    }

    /// <summary>
    /// The geometry of <paramref name="spec"/>: an <see cref="PreprocessingSpec.InputSize"/> square of RGB bytes (HWC) written
    /// to <paramref name="destination"/>, by <see cref="ResizeShorterSideAndCenterCrop"/> for <see cref="ResizeMode.CenterCrop"/>
    /// or by resizing the whole image to the square for <see cref="ResizeMode.Stretch"/> (the bytes of <see cref="Resize"/>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than InputSize * InputSize * 3.</exception>
    public static void ResizeToInput(DecodedImage image, PreprocessingSpec spec, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(spec);
        int size = spec.InputSize;
        if (spec.ResizeMode != ResizeMode.Stretch)
        {
            ResizeShorterSideAndCenterCrop(image, spec.ResizeSize, size, size, spec.Interpolation, destination);
            return;
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1, nameof(spec));
        if (destination.Length < size * size * 3)
            throw new ArgumentException($"Destination holds {destination.Length} bytes; {size}x{size} RGB needs {size * size * 3}.", nameof(destination));
        Resampler.Resample(image.Pixels, image.Width * 3, CropBox.Full(image.Width, image.Height), size, size, CropBox.Full(size, size), spec.Interpolation, destination);
    }
}
