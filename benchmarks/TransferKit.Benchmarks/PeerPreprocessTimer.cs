using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TransferKit.Data.Decoding;
using TransferKit.Data.Preprocessing;
using TransferKit.Models;

namespace TransferKit.Benchmarks;

/// <summary>
/// Times decode + resize 256 + centre crop 224 + normalise (<c>peer-preprocess [rounds]</c>), or the JPEG decode alone
/// (<c>peer-decode [rounds]</c>), of 500x375 quality-90 JPEGs the way <c>benchmarks/peer/pillow_preprocess.py</c> times
/// Pillow (batches of 64 on 2 threads, median of rounds, plus CPU time per image), and prints the same JSON fields for
/// <c>benchmarks/peer/compare_preprocess.sh</c> and <c>run_all.sh</c>.
/// </summary>
internal static class PeerPreprocessTimer
{
    public static int Run(string[] args, bool decodeOnly)
    {
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        const int batch = 64, threads = 2;
        var transform = new EvaluationTransform(PreprocessingSpec.ImageNet224);
        var jpegs = Enumerable.Range(1, 8).Select(seed => JpegEncoder.Encode(SyntheticPhoto.Generate(500, 375, seed), quality: 90)).ToArray();
        var outputs = Enumerable.Range(0, batch).Select(_ => new float[3 * 224 * 224]).ToArray();
        void Image(int i)
        {
            var image = ImageDecoder.Decode(jpegs[i % jpegs.Length], "photo.jpg");
            if (!decodeOnly) transform.Apply(image, outputs[i], TransformContext.Evaluation);
        }
        void Round() => Parallel.For(0, batch, new ParallelOptions { MaxDegreeOfParallelism = threads }, Image);
        Round();
        var times = new double[rounds];
        var cpu = new double[rounds];
        var process = Process.GetCurrentProcess();
        for (int r = 0; r < rounds; r++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            Round();
            times[r] = clock.Elapsed.TotalSeconds;
            process.Refresh();
            cpu[r] = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        }
        Array.Sort(times);
        Array.Sort(cpu);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            framework = "transferkit",
            work = decodeOnly ? "decode" : "decode, resize, crop, normalize",
            threads,
            batch,
            rounds,
            image = "500x375 jpeg q90",
            images_per_second = Math.Round(batch / times[rounds / 2], 1),
            images_per_second_best = Math.Round(batch / times[0], 1),
            cpu_ms_per_image = Math.Round(cpu[rounds / 2] / batch * 1e3, 3),
        }));
        return 0;
    }
}
