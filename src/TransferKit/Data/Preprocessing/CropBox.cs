namespace TransferKit.Data.Preprocessing;

/// <summary>
/// A rectangle of pixels in an image, in torchvision's (top, left, height, width) order: rows
/// [<see cref="Top"/>, <see cref="Top"/> + <see cref="Height"/>) and columns [<see cref="Left"/>, <see cref="Left"/> + <see cref="Width"/>).
/// </summary>
/// <param name="Top">First row.</param>
/// <param name="Left">First column.</param>
/// <param name="Height">Number of rows.</param>
/// <param name="Width">Number of columns.</param>
public readonly record struct CropBox(int Top, int Left, int Height, int Width)
{
    /// <summary>The whole of a <paramref name="width"/> x <paramref name="height"/> image.</summary>
    public static CropBox Full(int width, int height) => new(0, 0, height, width);

    /// <summary>One past the last row.</summary>
    public int Bottom => Top + Height;

    /// <summary>One past the last column.</summary>
    public int Right => Left + Width;

    /// <summary>Whether the box is non-empty and lies inside a <paramref name="width"/> x <paramref name="height"/> image.</summary>
    public bool FitsIn(int width, int height) =>
        Top >= 0 && Left >= 0 && Height >= 1 && Width >= 1 && Bottom <= height && Right <= width;

    /// <summary>Throws unless <see cref="FitsIn"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The box is empty or reaches outside the image.</exception>
    internal void CheckFitsIn(int width, int height, string paramName)
    {
        if (!FitsIn(width, height))
            throw new ArgumentOutOfRangeException(paramName, this, $"The box must be non-empty and inside the {width}x{height} image.");
    }
}
