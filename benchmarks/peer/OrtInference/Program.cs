// Times eval-mode inference of ONNX Runtime 1.32 and TransferKit side by side, on the same weights and the same input,
// with the same number of threads, and prints one JSON line per network and batch size plus a markdown table of ratios
// (TransferKit's images per second over ONNX Runtime's: above 1 means TransferKit is faster).
//
//   /usr/bin/python3 benchmarks/peer/export_torchvision.py DIR [NAME ...]
//   dotnet run -c Release --project benchmarks/peer/OrtInference -- DIR [--networks a,b] [--steps 5] [--threads 2]
using System.Globalization;
using System.Text.Json;
using TransferKit.Benchmarks.Peer;

var options = OrtPeerOptions.Parse(args);
var rows = new List<OrtPeerRow>();
foreach (string network in options.Networks)
{
    foreach (int batch in new[] { 16, 1 })
    {
        var row = OrtPeerRun.Measure(options, network, batch);
        Console.Error.WriteLine(JsonSerializer.Serialize(row));
        rows.Add(row);
    }
}

Console.WriteLine($"ONNX Runtime 1.32 vs TransferKit, eval mode, {options.Threads} threads each, median of {options.Steps} batches, "
    + $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine("| network | batch | TransferKit img/s | ONNX Runtime img/s | TK / ORT | max logit difference |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
foreach (var r in rows)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {r.Network} | {r.Batch} | {r.TransferKitImagesPerSecond:0.0} | {r.OrtImagesPerSecond:0.0} | {r.TransferKitImagesPerSecond / r.OrtImagesPerSecond:0.00} | {r.MaxLogitDifference:0.0e0} |"));
}
