using System.Numerics;

namespace TransferKit.Data.Synthetic;

/// <summary>
/// Where a drawn object sits: its centre and radius in pixels and its rotation. Shapes are described in local units
/// where the object spans about [-1, 1]; pixel (x, y) maps to local (u, v) by undoing the translation, rotation and scale.
/// </summary>
internal readonly record struct Placement(double X, double Y, double Scale, double Angle)
{
    /// <summary>A placement nested in this one: <paramref name="u"/>, <paramref name="v"/>, <paramref name="scale"/> and
    /// <paramref name="angle"/> are in this placement's local units.</summary>
    public Placement Child(double u, double v, double scale, double angle = 0)
    {
        (double s, double c) = Math.SinCos(Angle);
        return new Placement(X + (Scale * ((c * u) - (s * v))), Y + (Scale * ((s * u) + (c * v))), Scale * scale, Angle + angle);
    }
}

/// <summary>
/// A float RGB image in [0, 1] that shapes are drawn onto with 4x supersampled coverage, for the synthetic datasets.
/// Deliberately tiny: inside tests in local coordinates, a paint function for textures, alpha blending by coverage.
/// </summary>
internal sealed class SyntheticCanvas
{
    private static readonly (double X, double Y)[] Subsamples = [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)];
    private readonly Vector3[] _pixels;

    public SyntheticCanvas(int width, int height)
    {
        Width = width;
        Height = height;
        _pixels = new Vector3[width * height];
    }

    public int Width { get; }

    public int Height { get; }

    public Vector3 this[int x, int y]
    {
        get => _pixels[(y * Width) + x];
        set => _pixels[(y * Width) + x] = value;
    }

    /// <summary>Blends <paramref name="paint"/> wherever <paramref name="inside"/> holds, within <paramref name="reach"/> local units of the centre.</summary>
    public void Fill(Placement at, Func<double, double, bool> inside, Func<double, double, Vector3> paint, double reach = 1.5)
    {
        double radius = reach * at.Scale;
        int x0 = Math.Max(0, (int)Math.Floor(at.X - radius)), x1 = Math.Min(Width - 1, (int)Math.Ceiling(at.X + radius));
        int y0 = Math.Max(0, (int)Math.Floor(at.Y - radius)), y1 = Math.Min(Height - 1, (int)Math.Ceiling(at.Y + radius));
        (double sin, double cos) = Math.SinCos(-at.Angle);
        double inv = 1.0 / at.Scale;
        for (int y = y0; y <= y1; y++)
        {
            for (int x = x0; x <= x1; x++)
            {
                int hits = 0;
                foreach ((double sx, double sy) in Subsamples)
                {
                    double dx = x + sx - at.X, dy = y + sy - at.Y;
                    if (inside(((cos * dx) - (sin * dy)) * inv, ((sin * dx) + (cos * dy)) * inv))
                    {
                        hits++;
                    }
                }

                if (hits > 0)
                {
                    double cx = x + 0.5 - at.X, cy = y + 0.5 - at.Y;
                    Vector3 colour = paint(((cos * cx) - (sin * cy)) * inv, ((sin * cx) + (cos * cy)) * inv);
                    int i = (y * Width) + x;
                    _pixels[i] = Vector3.Lerp(_pixels[i], colour, hits / 4f);
                }
            }
        }
    }

    /// <summary>Fills with one colour.</summary>
    public void Fill(Placement at, Func<double, double, bool> inside, Vector3 colour, double reach = 1.5) =>
        Fill(at, inside, (_, _) => colour, reach);

    /// <summary>Draws a straight segment <paramref name="thickness"/> pixels wide between two pixel positions.</summary>
    public void Line(double xa, double ya, double xb, double yb, double thickness, Vector3 colour)
    {
        double length = Math.Max(1e-6, Math.Sqrt(((xb - xa) * (xb - xa)) + ((yb - ya) * (yb - ya))));
        var at = new Placement((xa + xb) / 2, (ya + yb) / 2, length / 2, Math.Atan2(yb - ya, xb - xa));
        double halfWidth = thickness / length;
        Fill(at, (u, v) => Math.Abs(u) <= 1 && Math.Abs(v) <= halfWidth, colour, reach: 1.5);
    }

    /// <summary>Adds zero-mean Gaussian noise of standard deviation <paramref name="sigma"/> to every channel.</summary>
    public void AddNoise(Random random, float sigma)
    {
        for (int i = 0; i < _pixels.Length; i++)
        {
            _pixels[i] += new Vector3(Gaussian(random), Gaussian(random), Gaussian(random)) * sigma;
        }
    }

    /// <summary>The image as 8-bit RGB, HWC.</summary>
    public byte[] ToRgb()
    {
        var rgb = new byte[_pixels.Length * 3];
        for (int i = 0; i < _pixels.Length; i++)
        {
            Vector3 p = Vector3.Clamp(_pixels[i], Vector3.Zero, Vector3.One) * 255f;
            rgb[3 * i] = (byte)MathF.Round(p.X);
            rgb[(3 * i) + 1] = (byte)MathF.Round(p.Y);
            rgb[(3 * i) + 2] = (byte)MathF.Round(p.Z);
        }

        return rgb;
    }

    private static float Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }
}
