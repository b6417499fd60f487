using System.Globalization;
using System.Text.Json;
using TransferKit.Api;
using TransferKit.Kernels;
using TransferKit.Models;
using TransferKit.Models.Inference;
using TransferKit.Tensors;

namespace TransferKit.Benchmarks.Peer;

/// <summary>
/// The units item, a diagnostic rather than a measurement to quote: where each side spends a batch's forward, unit by
/// unit (ResNet's stages, MobileNet's feature blocks, DenseNet's blocks and transitions). TransferKit times each unit
/// alone as <c>profile-units</c> does; ONNX Runtime records every node's kernel time with its profiler, and a node
/// counts for the unit whose name is one of its path's segments (torchvision's export names nodes after the modules).
/// Nodes the optimiser made or renamed (layout reorders) count for the unit before them; those before the first unit for
/// the first, those after the last for the head.
/// </summary>
internal static class OrtUnitsRun
{
    private const string Head = "head (pooling, classifier)";

    public static void Measure(OrtPeerOptions options, string network, TextWriter report)
    {
        var info = Architectures.Get(network);
        int size = info.Preprocessing.InputSize, batch = options.Batch;
        var input = PeerInputs.Images(batch, size, seed: 7);

        using var model = OrtPeerRun.LoadImageNet(options, info);
        model.Eval();
        var unitNames = model.Units.Select(u => u.Name).ToArray();
        var ort = OrtUnitMilliseconds(options, network, input, batch, size, unitNames);

        using var folding = BatchNormFolding.FoldForInference(model);
        using var x = Tensor.FromArray(input, batch, 3, size, size);
        var ours = UnitTimes.Measure(model, x, options.Steps);
        IReadOnlyList<UnitTime>? bf16 = null;
        if (OrtPeerRun.RunsBFloat16(options))
        {
            using (InferencePrecisionSupport.Enter(InferencePrecision.BFloat16)) bf16 = UnitTimes.Measure(model, x, options.Steps);
        }

        report.WriteLine();
        report.WriteLine($"### {network}, batch {batch}, unit by unit (TK / ORT above 1: TransferKit faster)");
        report.WriteLine();
        report.WriteLine(bf16 is null
            ? "| unit | output | TransferKit ms | ONNX Runtime ms | TK / ORT |\n|---|---|---:|---:|---:|"
            : "| unit | output | TransferKit ms | bfloat16 ms | ONNX Runtime ms | TK / ORT | bf16 / ORT |\n|---|---|---:|---:|---:|---:|---:|");
        for (int u = 0; u < ours.Count; u++)
        {
            double theirs = ort.GetValueOrDefault(ours[u].Name);
            string bf16Columns = bf16 is null ? "" : Invariant($" {bf16[u].Milliseconds:0.00} |");
            string bf16Ratio = bf16 is null ? "" : Invariant($" {theirs / bf16[u].Milliseconds:0.00} |");
            report.WriteLine(Invariant($"| {ours[u].Name} | {ours[u].Shape} | {ours[u].Milliseconds:0.00} |{bf16Columns} {theirs:0.00} | {theirs / ours[u].Milliseconds:0.00} |{bf16Ratio}"));
            Console.Error.WriteLine(JsonSerializer.Serialize(new
            {
                network, batch, unit = ours[u].Name, transferKitMs = ours[u].Milliseconds, bfloat16Ms = bf16?[u].Milliseconds, ortMs = theirs,
            }));
        }

        double ourTotal = ours.Sum(r => r.Milliseconds), ortTotal = unitNames.Sum(n => ort.GetValueOrDefault(n));
        string bf16Total = bf16 is null ? "" : Invariant($" {bf16.Sum(r => r.Milliseconds):0.00} |");
        string bf16TotalRatio = bf16 is null ? "" : Invariant($" {ortTotal / bf16.Sum(r => r.Milliseconds):0.00} |");
        report.WriteLine(Invariant($"| units | | {ourTotal:0.00} |{bf16Total} {ortTotal:0.00} | {ortTotal / ourTotal:0.00} |{bf16TotalRatio}"));
        report.WriteLine(Invariant($"| {Head}, ONNX Runtime only | | |{(bf16 is null ? "" : " |")} {ort.GetValueOrDefault(Head):0.00} | |{(bf16 is null ? "" : " |")}"));
    }

    /// <summary>The median over the timed runs of each unit's summed node times, in milliseconds.</summary>
    private static Dictionary<string, double> OrtUnitMilliseconds(OrtPeerOptions options, string network, float[] input, int batch, int size, string[] unitNames)
    {
        string prefix = Path.Combine(Path.GetTempPath(), $"transferkit-ort-profile-{network}-{Environment.ProcessId}");
        string profile;
        int runs = 0;
        using (var session = new OrtSession(Path.Combine(options.Folder, network + ".onnx"), options.Threads, prefix))
        using (var ortInput = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(input, [batch, 3, size, size]))
        {
            PeerClock.Median(options.Warmup, options.WarmupSeconds, options.Steps, () =>
            {
                session.Run(ortInput);
                runs++;
            });
            profile = session.EndProfiling();
        }

        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(profile));
            var events = json.RootElement.EnumerateArray().ToList();
            var modelRuns = events.Where(e => Category(e) == "Session" && Name(e) == "model_run").OrderBy(Start).ToList();
            var nodes = events.Where(e => Category(e) == "Node" && Name(e).EndsWith("_kernel_time", StringComparison.Ordinal)).OrderBy(Start).ToList();
            var perRun = new Dictionary<string, List<double>>();
            foreach (var run in modelRuns.Skip(Math.Max(0, modelRuns.Count - options.Steps)))
            {
                double from = Start(run), to = from + run.GetProperty("dur").GetDouble();
                var inRun = nodes.Where(n => Start(n) >= from && Start(n) <= to).ToList();
                foreach (var (unit, microseconds) in Attribute(inRun.Select(n => (Name(n), n.GetProperty("dur").GetDouble())).ToList(), unitNames))
                {
                    if (!perRun.TryGetValue(unit, out var list)) perRun[unit] = list = [];
                    list.Add(microseconds / 1000);
                }
            }

            return perRun.ToDictionary(kv => kv.Key, kv => Median(kv.Value));
        }
        finally
        {
            File.Delete(profile);
        }
    }

    /// <summary>Each unit's summed node time in one run (the order of <paramref name="nodes"/> is execution order).</summary>
    private static Dictionary<string, double> Attribute(List<(string Name, double Microseconds)> nodes, string[] unitNames)
    {
        var units = nodes.Select(n => n.Name.Split('/').FirstOrDefault(segment => unitNames.Contains(segment))).ToArray();
        int last = Array.FindLastIndex(units, u => u is not null);
        string current = unitNames[0];
        var sums = new Dictionary<string, double>();
        for (int i = 0; i < nodes.Count; i++)
        {
            current = i > last ? Head : units[i] ?? current;
            sums[current] = sums.GetValueOrDefault(current) + nodes[i].Microseconds;
        }

        return sums;
    }

    private static string Category(JsonElement e) => e.TryGetProperty("cat", out var c) ? c.GetString() ?? "" : "";

    private static string Name(JsonElement e) => e.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";

    private static double Start(JsonElement e) => e.GetProperty("ts").GetDouble();

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
