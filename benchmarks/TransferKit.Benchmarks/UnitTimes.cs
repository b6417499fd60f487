using System.Diagnostics;
using TransferKit.Autograd;
using TransferKit.Models;
using TransferKit.Tensors;

namespace TransferKit.Benchmarks;

/// <summary>One unit's output shape and the median milliseconds of its eval forward alone.</summary>
internal sealed record UnitTime(string Name, string Shape, double Milliseconds);

/// <summary>
/// Times an eval forward unit by unit: each unit alone on the output of the one before it, the median of N after two
/// warm-up runs, under no tape. Shared by <c>profile-units</c> and the ONNX Runtime peer's <c>--items units</c>.
/// </summary>
internal static class UnitTimes
{
    /// <summary>
    /// A batch of random pixels [batch, 3, size, size] in [-2, 2), seeded: a constant image drives some layers of a
    /// randomly initialised network into denormals.
    /// </summary>
    public static Tensor RandomImages(int batch, int size)
    {
        var random = new Random(7);
        var pixels = new float[batch * 3 * size * size];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (float)(random.NextDouble() * 4 - 2);
        return Tensor.FromArray(pixels, batch, 3, size, size);
    }

    /// <summary>The units of <paramref name="model"/> in forward order, timed on <paramref name="x"/> ([N, 3, H, W]).</summary>
    public static IReadOnlyList<UnitTime> Measure(ConvNet model, Tensor x, int steps)
    {
        using var noGrad = GradMode.NoGrad();
        // Whole forwards first, so that every kernel runs its optimised (tier-1) code before any unit is timed.
        for (int i = 0; i < 3; i++) model.Forward(x).Dispose();
        var rows = new List<UnitTime>();
        var input = x;
        for (int u = 0; u < model.Units.Count; u++)
        {
            var times = new List<double>();
            Tensor? output = null;
            for (int i = 0; i < steps + 2; i++)
            {
                output?.Dispose();
                var clock = Stopwatch.StartNew();
                output = model.ForwardUnits(input, u, u + 1);
                if (i >= 2) times.Add(clock.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            rows.Add(new UnitTime(model.Units[u].Name, output!.Shape.ToString(), times[times.Count / 2]));
            if (!ReferenceEquals(input, x)) input.Dispose();
            input = output;
        }

        if (!ReferenceEquals(input, x)) input.Dispose();
        return rows;
    }
}
