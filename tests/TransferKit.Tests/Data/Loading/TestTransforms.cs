using TransferKit.Data.Decoding;
using TransferKit.Data.Preprocessing;

namespace TransferKit.Tests.Data.Loading;

/// <summary>
/// A test-only transform: nearest-neighbour resize to a fixed size and scaling to [0, 1] (/255), optionally with a random
/// horizontal flip drawn from the <see cref="TransformContext"/>, so augmentation determinism can be observed.
/// </summary>
internal class NearestResizeTransform(int height, int width, bool randomFlip = false) : IImageTransform
{
    private int _applied;

    public int OutputHeight => height;

    public int OutputWidth => width;

    public bool IsRandom => randomFlip;

    /// <summary>Number of images transformed so far (any thread).</summary>
    public int Applied => Volatile.Read(ref _applied);

    public virtual void Apply(DecodedImage image, Span<float> destination, TransformContext context)
    {
        if (destination.Length != 3 * height * width)
        {
            throw new ArgumentException("wrong destination length", nameof(destination));
        }

        bool flip = randomFlip && context.CreateRandom().Next(2) == 1;
        int plane = height * width;
        for (int y = 0; y < height; y++)
        {
            int sy = y * image.Height / height;
            for (int x = 0; x < width; x++)
            {
                int sx = (flip ? width - 1 - x : x) * image.Width / width;
                int source = ((sy * image.Width) + sx) * 3;
                for (int c = 0; c < 3; c++)
                {
                    destination[(c * plane) + (y * width) + x] = image.Pixels[source + c] / 255f;
                }
            }
        }

        Interlocked.Increment(ref _applied);
    }
}

/// <summary>A <see cref="NearestResizeTransform"/> that waits before each image: for a fixed time, or until a gate opens.</summary>
internal sealed class SlowTransform(int height, int width, int delayMilliseconds = 0, ManualResetEventSlim? gate = null)
    : NearestResizeTransform(height, width)
{
    public override void Apply(DecodedImage image, Span<float> destination, TransformContext context)
    {
        gate?.Wait();
        if (delayMilliseconds > 0)
        {
            Thread.Sleep(delayMilliseconds);
        }

        base.Apply(image, destination, context);
    }
}
