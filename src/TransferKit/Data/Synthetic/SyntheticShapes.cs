using System.Numerics;

namespace TransferKit.Data.Synthetic;

/// <summary>Inside tests for unit shapes (spanning about [-1, 1]), random colours and the cluttered backgrounds.</summary>
internal static class SyntheticShapes
{
    public static bool Circle(double u, double v) => (u * u) + (v * v) <= 1;

    public static Func<double, double, bool> Ellipse(double rx, double ry) => (u, v) => ((u / rx) * (u / rx)) + ((v / ry) * (v / ry)) <= 1;

    public static bool Square(double u, double v) => Math.Abs(u) <= 0.85 && Math.Abs(v) <= 0.85;

    public static bool Cross(double u, double v) =>
        (Math.Abs(u) <= 0.3 && Math.Abs(v) <= 0.95) || (Math.Abs(v) <= 0.3 && Math.Abs(u) <= 0.95);

    public static bool Ring(double u, double v) => (u * u) + (v * v) is >= 0.36 and <= 1;

    public static bool Crescent(double u, double v) => Circle(u, v) && ((u - 0.45) * (u - 0.45)) + ((v + 0.15) * (v + 0.15)) > 0.64;

    /// <summary>A regular polygon with <paramref name="sides"/> vertices on the unit circle, the first at the top.</summary>
    public static Func<double, double, bool> RegularPolygon(int sides) => Polygon(Star(sides, 1, 1));

    /// <summary>Alternating outer and inner vertices: a star with <paramref name="points"/> points.</summary>
    public static (double U, double V)[] Star(int points, double outer, double inner)
    {
        var vertices = new (double, double)[points * 2];
        for (int k = 0; k < vertices.Length; k++)
        {
            double r = k % 2 == 0 ? outer : inner;
            double a = (-Math.PI / 2) + (Math.PI * k / points);
            vertices[k] = (r * Math.Cos(a), r * Math.Sin(a));
        }

        return outer == inner ? [.. vertices.Where((_, k) => k % 2 == 0)] : vertices;
    }

    /// <summary>Even-odd point-in-polygon test (crossing number) over the given vertices.</summary>
    public static Func<double, double, bool> Polygon((double U, double V)[] vertices) => (u, v) =>
    {
        bool inside = false;
        for (int i = 0, j = vertices.Length - 1; i < vertices.Length; j = i++)
        {
            (double ui, double vi) = vertices[i];
            (double uj, double vj) = vertices[j];
            if ((vi > v) != (vj > v) && u < ((uj - ui) * (v - vi) / (vj - vi)) + ui)
            {
                inside = !inside;
            }
        }

        return inside;
    };

    public static float Luminance(Vector3 c) => (0.299f * c.X) + (0.587f * c.Y) + (0.114f * c.Z);

    /// <summary>A random colour from HSV with moderate saturation and value.</summary>
    public static Vector3 RandomColour(Random random)
    {
        double h = random.NextDouble() * 6, s = 0.25 + (0.75 * random.NextDouble()), value = 0.15 + (0.85 * random.NextDouble());
        int sector = (int)h;
        double f = h - sector, p = value * (1 - s), q = value * (1 - (s * f)), t = value * (1 - (s * (1 - f)));
        (double r, double g, double b) = sector switch
        {
            0 => (value, t, p),
            1 => (q, value, p),
            2 => (p, value, t),
            3 => (p, q, value),
            4 => (t, p, value),
            _ => (value, p, q),
        };
        return new Vector3((float)r, (float)g, (float)b);
    }

    /// <summary>A random colour whose luminance differs from <paramref name="other"/>'s by at least <paramref name="contrast"/> where possible.</summary>
    public static Vector3 ContrastingColour(Random random, Vector3 other, float contrast = 0.25f)
    {
        Vector3 colour = RandomColour(random);
        for (int tries = 0; tries < 50 && MathF.Abs(Luminance(colour) - Luminance(other)) < contrast; tries++)
        {
            colour = RandomColour(random);
        }

        return colour;
    }

    /// <summary>
    /// Paints a gradient between two random colours, a faint wave texture, and <paramref name="clutter"/>-scaled
    /// distractors (thin lines and small blobs); returns the mean background colour.
    /// </summary>
    public static Vector3 Background(SyntheticCanvas canvas, Random random, double clutter)
    {
        Vector3 a = RandomColour(random), b = RandomColour(random);
        double angle = random.NextDouble() * 2 * Math.PI;
        (double dy, double dx) = Math.SinCos(angle);
        double waveFreq = (2 + (6 * random.NextDouble())) * 2 * Math.PI / Math.Max(canvas.Width, canvas.Height);
        (double wy, double wx) = Math.SinCos(random.NextDouble() * 2 * Math.PI);
        float waveAmp = (float)(0.03 + (0.07 * random.NextDouble()));
        double wavePhase = random.NextDouble() * 2 * Math.PI;
        double span = Math.Abs(dx * canvas.Width) + Math.Abs(dy * canvas.Height);
        for (int y = 0; y < canvas.Height; y++)
        {
            for (int x = 0; x < canvas.Width; x++)
            {
                double t = Math.Clamp((((x - (canvas.Width / 2.0)) * dx) + ((y - (canvas.Height / 2.0)) * dy)) / span + 0.5, 0, 1);
                float wave = waveAmp * (float)Math.Sin((waveFreq * ((x * wx) + (y * wy))) + wavePhase);
                canvas[x, y] = Vector3.Lerp(a, b, (float)t) + new Vector3(wave);
            }
        }

        int size = Math.Min(canvas.Width, canvas.Height);
        int items = (int)Math.Round(clutter * random.Next(3, 9));
        for (int k = 0; k < items; k++)
        {
            Vector3 colour = RandomColour(random);
            if (random.Next(2) == 0)
            {
                double thickness = Math.Max(1, size / 64.0) * (1 + random.NextDouble());
                canvas.Line(random.NextDouble() * canvas.Width, random.NextDouble() * canvas.Height,
                    random.NextDouble() * canvas.Width, random.NextDouble() * canvas.Height, thickness, colour);
            }
            else
            {
                var at = new Placement(random.NextDouble() * canvas.Width, random.NextDouble() * canvas.Height,
                    size * (0.025 + (0.045 * random.NextDouble())), random.NextDouble() * Math.PI);
                canvas.Fill(at, Ellipse(1, 0.5 + (0.5 * random.NextDouble())), colour);
            }
        }

        return (a + b) / 2;
    }
}
