using System.Numerics;
using TransferKit.Data.Decoding;
using TransferKit.Kernels;

namespace TransferKit.Data.Synthetic;

/// <summary>
/// A seeded, procedurally drawn image classification task that is written to disk as real JPEG or PNG files, for
/// end-to-end tests and demos of transfer learning without downloads. Every image has a cluttered gradient background
/// and one object of random colour, position, scale and rotation, so no fixed pixel or colour gives the class away (a
/// linear model on raw pixels does poorly) while a small CNN learns the shapes.
/// Two related tasks: <see cref="Shapes"/> (the "source", 12 shape and texture classes) and <see cref="CatsAndDogs"/>
/// (the "target", two cartoon faces assembled from the same primitives: triangles, ellipses, dots and lines), so
/// features pre-trained on the first transfer to the second.
/// </summary>
public sealed partial class SyntheticImageTask
{
    private readonly SyntheticClass[] _classes;
    private readonly double _minScale, _maxScale, _maxAngle;

    private SyntheticImageTask(string name, SyntheticClass[] classes, double minScale, double maxScale, double maxAngle)
    {
        Name = name;
        _classes = classes;
        _minScale = minScale;
        _maxScale = maxScale;
        _maxAngle = maxAngle;
        ClassNames = [.. classes.Select(c => c.Name)];
    }

    private delegate void DrawObject(SyntheticCanvas canvas, Placement at, Random random, Vector3 background);

    /// <summary>The task's name.</summary>
    public string Name { get; }

    /// <summary>The class names in label order (lower case, no dots, usable as folder and Kaggle file prefixes).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Renders one image of class <paramref name="label"/>; the same arguments give the same pixels.</summary>
    /// <param name="label">The class, in [0, ClassNames.Count).</param>
    /// <param name="width">Width in pixels, at least 16.</param>
    /// <param name="height">Height in pixels, at least 16.</param>
    /// <param name="seed">Seed of every random choice in the image.</param>
    /// <param name="clutter">Background clutter, 0 to 2.</param>
    /// <param name="noise">Pixel noise standard deviation on a 0..1 scale, 0 to 0.5.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public DecodedImage Render(int label, int width, int height, int seed, double clutter = 1, double noise = 0.03)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(label);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(label, _classes.Length);
        new SyntheticImageOptions { Width = width, Height = height, Clutter = clutter, Noise = noise }.Validate();
        var random = new Random(seed);
        var canvas = new SyntheticCanvas(width, height);
        Vector3 background = SyntheticShapes.Background(canvas, random, clutter);
        int size = Math.Min(width, height);
        var at = new Placement(
            width * (0.3 + (0.4 * random.NextDouble())),
            height * (0.3 + (0.4 * random.NextDouble())),
            size * (_minScale + ((_maxScale - _minScale) * random.NextDouble())),
            _maxAngle * ((2 * random.NextDouble()) - 1));
        _classes[label].Draw(canvas, at, random, background);
        canvas.AddNoise(random, (float)noise);
        return new DecodedImage(width, height, canvas.ToRgb(), ImageFormat.Unknown);
    }

    /// <summary>
    /// Writes <see cref="SyntheticImageOptions.ImagesPerClass"/> images of every class under <paramref name="root"/> in the
    /// chosen layout and format (in parallel), creating folders as needed and overwriting files of the same name.
    /// </summary>
    /// <param name="root">The folder to write into.</param>
    /// <param name="options">Counts, size, format, layout, seed; <see cref="SyntheticImageOptions.Default"/> when null.</param>
    /// <returns>The paths and labels written.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="NativeLibraryMissingException">JPEG output was asked for and libturbojpeg is not installed.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public SyntheticImageSet Write(string root, SyntheticImageOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        options ??= SyntheticImageOptions.Default;
        options.Validate();
        root = Path.GetFullPath(root);
        string extension = options.Format == SyntheticImageFormat.Jpeg ? ".jpg" : ".png";
        bool kaggle = options.Layout == SyntheticLayout.KaggleFlat;
        string trainDirectory = kaggle ? Path.Combine(root, "train") : root;
        string? testDirectory = options.UnlabeledImages > 0 ? Path.Combine(root, "test1") : null;

        var jobs = new List<(string Path, int Label, int Seed)>();
        for (int label = 0; label < _classes.Length; label++)
        {
            string folder = kaggle ? trainDirectory : Path.Combine(root, ClassNames[label]);
            Directory.CreateDirectory(folder);
            for (int n = 0; n < options.ImagesPerClass; n++)
            {
                string file = kaggle ? $"{ClassNames[label]}.{n}{extension}" : $"{n}{extension}";
                jobs.Add((Path.Combine(folder, file), label, ImageSeed(options.Seed, label, n)));
            }
        }

        int labelled = jobs.Count;
        if (testDirectory is not null)
        {
            Directory.CreateDirectory(testDirectory);
            for (int n = 0; n < options.UnlabeledImages; n++)
            {
                int label = new Random(ImageSeed(options.Seed, -1, n)).Next(_classes.Length);
                jobs.Add((Path.Combine(testDirectory, $"{n + 1}{extension}"), label, ImageSeed(options.Seed, -2, n)));
            }
        }

        Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism.DegreeOfParallelism }, j =>
        {
            DecodedImage image = Render(jobs[j].Label, options.Width, options.Height, jobs[j].Seed, options.Clutter, options.Noise);
            byte[] bytes = options.Format == SyntheticImageFormat.Jpeg
                ? JpegEncoder.Encode(image, options.JpegQuality)
                : PngEncoder.Encode(image);
            File.WriteAllBytes(jobs[j].Path, bytes);
        });

        return new SyntheticImageSet(root, trainDirectory, testDirectory, ClassNames,
            [.. jobs.Take(labelled).Select(j => j.Path)], [.. jobs.Take(labelled).Select(j => j.Label)],
            [.. jobs.Skip(labelled).Select(j => j.Path)], [.. jobs.Skip(labelled).Select(j => j.Label)]);
    }

    /// <summary>The seed of image <paramref name="n"/> of stream <paramref name="stream"/> (a class, or a negative tag).</summary>
    private static int ImageSeed(int seed, int stream, int n)
    {
        ulong z = unchecked(((ulong)(uint)seed << 32) ^ ((ulong)(uint)stream * 0x9E3779B97F4A7C15UL) ^ (uint)n);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return unchecked((int)z ^ (int)(z >> 32));
    }

    private sealed record SyntheticClass(string Name, DrawObject Draw);
}
