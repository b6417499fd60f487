using System.Numerics;
using static TransferKit.Data.Synthetic.SyntheticShapes;

namespace TransferKit.Data.Synthetic;

public sealed partial class SyntheticImageTask
{
    private static readonly (double U, double V)[] TriangleUp = [(0, -1), (0.87, 0.5), (-0.87, 0.5)];

    /// <summary>
    /// The source task: 12 classes, nine solid shapes (circle, square, triangle, star, cross, ring, crescent, hexagon,
    /// ellipse) and three textured ones (striped disc, checkered square, dotted disc), each at any rotation.
    /// </summary>
    public static SyntheticImageTask Shapes { get; } = new("shapes",
    [
        Solid("circle", Circle),
        Solid("square", Square),
        Solid("triangle", Polygon(TriangleUp)),
        Solid("star", Polygon(Star(5, 1, 0.42))),
        Solid("cross", Cross),
        Solid("ring", Ring),
        Solid("crescent", Crescent),
        Solid("hexagon", RegularPolygon(6)),
        Solid("ellipse", Ellipse(1, 0.45)),
        Textured("striped-disc", Circle, (u, v) => Math.Sin(2 * Math.PI * 1.6 * u) > 0),
        Textured("checkered-square", Square, (u, v) => (((int)Math.Floor((u + 10) / 0.43)) + ((int)Math.Floor((v + 10) / 0.43))) % 2 == 0),
        Textured("dotted-disc", Circle, Dots),
    ], minScale: 0.16, maxScale: 0.3, maxAngle: Math.PI);

    /// <summary>
    /// The target task: "cat" (pointed triangular ears, almond eyes with slit pupils, a small nose, whiskers) and "dog"
    /// (long drooping ears, a light muzzle, a large dark nose, round eyes, sometimes a tongue), in random fur colours and
    /// poses. Few images of it are meant to be enough after pre-training on <see cref="Shapes"/>.
    /// </summary>
    public static SyntheticImageTask CatsAndDogs { get; } = new("cats-and-dogs",
    [
        new SyntheticClass("cat", DrawCat),
        new SyntheticClass("dog", DrawDog),
    ], minScale: 0.17, maxScale: 0.25, maxAngle: 0.35);

    private static SyntheticClass Solid(string name, Func<double, double, bool> inside) =>
        new(name, (canvas, at, random, background) => canvas.Fill(at, inside, ContrastingColour(random, background)));

    private static SyntheticClass Textured(string name, Func<double, double, bool> inside, Func<double, double, bool> pattern) =>
        new(name, (canvas, at, random, background) =>
        {
            Vector3 first = ContrastingColour(random, background);
            Vector3 second = ContrastingColour(random, first);
            canvas.Fill(at, inside, (u, v) => pattern(u, v) ? first : second);
        });

    private static bool Dots(double u, double v)
    {
        const double Spacing = 0.45;
        double du = u - (Spacing * Math.Round(u / Spacing)), dv = v - (Spacing * Math.Round(v / Spacing));
        return (du * du) + (dv * dv) > 0.13 * 0.13;
    }

    private static void DrawCat(SyntheticCanvas canvas, Placement at, Random random, Vector3 background)
    {
        Vector3 fur = ContrastingColour(random, background);
        Vector3 innerEar = Vector3.Lerp(fur, new Vector3(1f, 0.7f, 0.75f), 0.6f);
        var earShape = Polygon([(0, -1), (0.7, 0.6), (-0.7, 0.6)]);
        double earSize = 0.42 + (0.12 * random.NextDouble());
        foreach (int side in (ReadOnlySpan<int>)[-1, 1])
        {
            Placement ear = at.Child(side * 0.55, -0.78, earSize, side * 0.3);
            canvas.Fill(ear, earShape, fur);
            canvas.Fill(ear.Child(0, 0.15, 0.55), earShape, innerEar);
        }

        canvas.Fill(at, Ellipse(1, 0.88), fur);
        Vector3 iris = random.Next(2) == 0 ? new Vector3(0.55f, 0.8f, 0.2f) : new Vector3(0.95f, 0.8f, 0.2f);
        foreach (int side in (ReadOnlySpan<int>)[-1, 1])
        {
            Placement eye = at.Child(side * 0.38, -0.12, 0.17, side * 0.2);
            canvas.Fill(eye, Ellipse(1, 0.6), iris);
            canvas.Fill(eye, Ellipse(0.22, 0.6), new Vector3(0.05f));
        }

        canvas.Fill(at.Child(0, 0.25, 0.12), Polygon([(-1, -0.6), (1, -0.6), (0, 0.8)]), new Vector3(0.9f, 0.5f, 0.55f));
        Vector3 whisker = Luminance(fur) > 0.5f ? new Vector3(0.1f) : new Vector3(0.95f);
        double thickness = Math.Max(0.8, at.Scale / 14);
        foreach (int side in (ReadOnlySpan<int>)[-1, 1])
        {
            for (int k = 0; k < 3; k++)
            {
                Placement from = at.Child(side * 0.22, 0.36 + (0.07 * k), 1), to = at.Child(side * 1.3, 0.15 + (0.2 * k), 1);
                canvas.Line(from.X, from.Y, to.X, to.Y, thickness, whisker);
            }
        }
    }

    private static void DrawDog(SyntheticCanvas canvas, Placement at, Random random, Vector3 background)
    {
        Vector3 fur = ContrastingColour(random, background);
        Vector3 ears = random.Next(2) == 0 ? fur * 0.55f : ContrastingColour(random, fur, 0.15f);
        Vector3 muzzle = Vector3.Lerp(fur, Vector3.One, 0.55f);
        var darkest = new Vector3(0.06f);
        canvas.Fill(at, Ellipse(0.88, 1), fur);
        double earLength = 0.55 + (0.15 * random.NextDouble());
        foreach (int side in (ReadOnlySpan<int>)[-1, 1])
        {
            canvas.Fill(at.Child(side * 0.92, 0.12, earLength, -side * 0.25), Ellipse(0.48, 1), ears);
        }

        canvas.Fill(at.Child(0, 0.48, 0.45), Ellipse(1.05, 0.8), muzzle);
        if (random.Next(5) < 2)
        {
            canvas.Fill(at.Child(0, 0.9, 0.14), Ellipse(0.8, 1), new Vector3(0.9f, 0.35f, 0.45f));
        }

        canvas.Fill(at.Child(0, 0.32, 0.16), Ellipse(1, 0.7), darkest);
        foreach (int side in (ReadOnlySpan<int>)[-1, 1])
        {
            Placement eye = at.Child(side * 0.36, -0.2, 0.11);
            canvas.Fill(eye, Circle, darkest);
            canvas.Fill(eye.Child(0.3, -0.3, 0.3), Circle, new Vector3(0.95f));
        }
    }
}
