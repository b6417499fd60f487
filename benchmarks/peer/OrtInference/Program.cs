// ONNX Runtime 1.32 and TransferKit side by side, on the same weights and the same input, with the same number of
// threads. Prints one JSON line per row on stderr and, on stdout, a markdown table of ratios (TransferKit's images per
// second over ONNX Runtime's: above 1 means TransferKit is faster) with what each column measures. Exits 1 when some
// outputs differ by more than 1e-4 relative (the two sides did not run the same network).
//
//   /usr/bin/python3 benchmarks/peer/export_torchvision.py DIR [NAME ...]
//   dotnet run -c Release --project benchmarks/peer/OrtInference -- DIR [--items inference,finetune,cache,units] [--quick]
//       [--networks a,b] [--steps 5] [--warmup 2] [--warmup-seconds 1] [--batch 16] [--cache-network resnet50] [--cache-images 512] [--threads 2]
using System.Globalization;
using System.Text.Json;
using TransferKit.Benchmarks.Peer;

OrtPeerOptions options;
try
{
    options = OrtPeerOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var rows = new List<OrtPeerRow>();
void Add(OrtPeerRow row)
{
    Console.Error.WriteLine(JsonSerializer.Serialize(row));
    rows.Add(row);
}

if (options.Items.Contains(OrtPeerItem.Inference))
{
    foreach (string network in options.Networks)
        foreach (int batch in new[] { options.Batch, 1 })
            foreach (var row in OrtPeerRun.Measure(options, network, batch)) Add(row);
}

if (options.Items.Contains(OrtPeerItem.FineTune))
{
    foreach (var row in OrtFineTuneRun.Measure(options)) Add(row);
}

if (options.Items.Contains(OrtPeerItem.Cache))
{
    foreach (var row in OrtCacheFillRun.Measure(options)) Add(row);
}

Console.WriteLine($"## ONNX Runtime 1.32 vs TransferKit{(options.Quick ? " (QUICK: a smoke test with tiny sizes, not a measurement)" : "")}");
Console.WriteLine();
Console.WriteLine($"{options.Threads} threads each, {options.Warmup} warm-up calls and at least {options.WarmupSeconds:0.#} s of them, then the median of {options.Steps} (inference rows: "
    + $"the two sides in alternating turns of one untimed and 2 timed calls; cache fill: all its batches summed), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
Console.WriteLine();
Console.WriteLine("| item | TransferKit img/s | ONNX Runtime img/s | TK / ORT | max relative difference |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var r in rows)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {r.Item} | {r.TransferKitImagesPerSecond:0.0} | {r.OrtImagesPerSecond:0.0} | {r.Ratio:0.00} | {(r.MaxDifference is { } d ? d.ToString("0.0e0", CultureInfo.InvariantCulture) : "not compared")} |"));
}

Console.WriteLine();
Console.WriteLine("What each column measures:");
Console.WriteLine();
foreach (var r in rows.DistinctBy(r => r.Kind))
    Console.WriteLine($"- {r.Kind} (as for {r.Item}): TransferKit: {r.TransferKitMeasures}. ONNX Runtime: {r.OrtMeasures}.");

if (options.Items.Contains(OrtPeerItem.Units))
{
    foreach (string network in options.Networks) OrtUnitsRun.Measure(options, network, Console.Out);
}

var disagreeing = rows.Where(r => !r.Agrees).ToList();
foreach (var r in disagreeing)
    Console.Error.WriteLine($"{r.Item}: the outputs differ by {r.MaxDifference:0.0e0} relative, more than {r.Tolerance:0e0}: the two sides did not run the same network.");
return disagreeing.Count == 0 ? 0 : 1;

static string LoadAverage()
{
    try
    {
        return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "unknown";
    }
}
