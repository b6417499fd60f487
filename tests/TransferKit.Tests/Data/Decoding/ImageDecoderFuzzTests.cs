using System.Diagnostics;
using TransferKit.Data.Decoding;
using Xunit.Abstractions;

namespace TransferKit.Tests.Data.Decoding;

/// <summary>
/// The image part of issue 12's fuzz test: valid images of every decoded format, mutated with a fixed seed, must decode
/// or fail with <see cref="ImageDecodeException"/>, each within a generous time bound and the memory budget.
/// </summary>
public class ImageDecoderFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 12;
    private static readonly TimeSpan TotalTime = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan DecodeTimeLimit = TimeSpan.FromSeconds(20);

    /// <summary>Managed bytes a failing or succeeding decode may allocate beyond the budget: exception objects and messages.</summary>
    private const long OverheadBytes = 64 * 1024;

    [Fact]
    public async Task MutatedImagesDecodeOrFailTypedWithinBudget()
    {
        // A small budget makes the check strict (every allocation the estimate misses shows up); the defaults are what users get.
        ImageDecodeOptions[] optionSets = [new ImageDecodeOptions { MaxDecodeBytes = 8L << 20 }, ImageDecodeOptions.Default];
        (string Name, byte[] Data)[] seeds = Seeds();
        var random = new Random(Seed);
        var clock = Stopwatch.StartNew();
        var outcomes = new Dictionary<string, int>();
        int iterations = 0;
        while (clock.Elapsed < TotalTime && iterations < 100_000)
        {
            (string name, byte[] original) = seeds[iterations % seeds.Length];
            ImageDecodeOptions options = optionSets[iterations / seeds.Length % optionSets.Length];
            (string mutation, byte[] mutated) = Mutate(original, random);
            string label = $"iteration {iterations} ({name}, {mutation}, {(options == optionSets[0] ? "8 MiB budget" : "default options")})";
            iterations++;

            var decode = Task.Run(() =>
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                string outcome;
                try
                {
                    ImageDecoder.Decode(mutated, label, options);
                    outcome = "decoded";
                }
                catch (ImageDecodeException ex)
                {
                    outcome = ex.Failure.ToString();
                }

                return (Outcome: outcome, Allocated: GC.GetAllocatedBytesForCurrentThread() - before);
            });
            string result;
            long allocated;
            try
            {
                // Any exception other than ImageDecodeException fails the test here; the label says how to reproduce it.
                (result, allocated) = await decode.WaitAsync(DecodeTimeLimit);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"{label}: still decoding after {DecodeTimeLimit.TotalSeconds} s");
                throw;
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"{label}: untyped {ex.GetType().Name}", ex);
            }

            Assert.True(allocated <= options.MaxDecodeBytes + mutated.Length + OverheadBytes,
                $"{label}: allocated {allocated:N0} bytes, budget {options.MaxDecodeBytes:N0}");
            outcomes[result] = outcomes.GetValueOrDefault(result) + 1;
        }

        output.WriteLine($"{iterations} decodes in {clock.Elapsed.TotalSeconds:F1} s: {string.Join(", ", outcomes.OrderBy(o => o.Key))}");

        // The mutations must reach both ends: some survive, and several kinds of failure are seen.
        Assert.True(iterations >= 200, $"only {iterations} iterations");
        Assert.True(outcomes.GetValueOrDefault("decoded") > 0, string.Join(", ", outcomes));
        Assert.True(outcomes.Count >= 3, string.Join(", ", outcomes));
    }

    /// <summary>Valid images of every format, committed fixtures plus PNG, BMP RLE and 16-bit variants made here.</summary>
    private static (string, byte[])[] Seeds()
    {
        byte[] rgb = ImageTestData.SmoothRgb(24, 16);
        var seeds = new List<(string, byte[])>
        {
            ("png-rgb", PngEncoder.Encode(24, 16, rgb)),
            ("png-gray", PngEncoder.Encode(24, 16, rgb.AsSpan(0, 24 * 16).ToArray(), PngColorType.Gray)),
            ("jpeg-444", JpegEncoder.Encode(24, 16, rgb, 90, progressive: false, subsampleChroma: false)),
            ("bmp-rle8", BmpTestWriter.Assemble(6, 3, 8, 40, 1, null, BmpTestWriter.Palette(16), [4, 2, 1, 5, 0, 0, 0, 3, 7, 8, 9, 0, 0, 1])),
            ("bmp-16", BmpTestWriter.Uncompressed(9, 7, 16, (x, y) => (uint)((x * 977) + y))),
        };
        foreach (string fixture in new[]
        {
            "photo.jpg", "photo_progressive.jpg", "gray.jpg", "cmyk.jpg", "cmyk_420.jpg", "orientation6.jpg",
            "interlaced.gif", "rgb24.bmp", "palette8.bmp",
        })
        {
            seeds.Add((fixture, ImageTestData.ReadFixture(fixture)));
        }

        return [.. seeds];
    }

    private static (string, byte[]) Mutate(byte[] data, Random random)
    {
        byte[] copy = (byte[])data.Clone();
        switch (random.Next(6))
        {
            case 0:
                int flips = 1 + random.Next(8);
                for (int i = 0; i < flips; i++)
                {
                    copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                }

                return ($"{flips} bit flips", copy);
            case 1:
                int keep = random.Next(copy.Length);
                return ($"cut to {keep} bytes", copy[..keep]);
            case 2:
                // A size field pushed to an extreme: a 16- or 32-bit word of 0xFF somewhere in the headers.
                int at = random.Next(Math.Min(copy.Length, 64));
                int width = random.Next(2) == 0 ? 2 : 4;
                copy.AsSpan(at, Math.Min(width, copy.Length - at)).Fill(0xFF);
                return ($"0xFF x{width} at {at}", copy);
            case 3:
                // A repeated run of bytes (a chunk, segment or scan duplicated in place).
                int start = random.Next(copy.Length);
                int length = 1 + random.Next(Math.Min(400, copy.Length - start));
                int to = random.Next(copy.Length + 1);
                return ($"{length} bytes from {start} repeated at {to}", [.. copy[..to], .. copy.AsSpan(start, length), .. copy[to..]]);
            case 4:
                int insertAt = random.Next(copy.Length + 1);
                byte[] junk = new byte[1 + random.Next(16)];
                random.NextBytes(junk);
                return ($"{junk.Length} random bytes inserted at {insertAt}", [.. copy[..insertAt], .. junk, .. copy[insertAt..]]);
            default:
                int from = random.Next(copy.Length);
                int count = 1 + random.Next(Math.Min(64, copy.Length - from));
                random.NextBytes(copy.AsSpan(from, count));
                return ($"{count} random bytes at {from}", copy);
        }
    }
}
