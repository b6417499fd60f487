// ML.NET's ResNet-18 featurizer beside TransferKit's, on the same generated JPEG files. ML.NET's route is its tutorial's:
// LoadImages, ResizeImages(224), ExtractPixels, DnnFeaturizeImage(ResNet18), which runs one image per ONNX Runtime call.
// TransferKit's is LoadRawImageBytes and TransferKitFeaturizeImage with ConvNetFeatureBackbone.FromMlNetResNet18: the same
// network, imported from the same NuGet package, run on TransferKit's engine in batches. Both start from the file paths
// and end with each image's 512 features read through an ML.NET cursor; the ONNX sessions, the import and a few warm-up
// images come before the clock. Prints one JSON line per side (images/s, CPU ms per image from the process's processor
// time), and with both sides the ratios and how close the two feature vectors are (the same weights; ML.NET subtracts a
// mean image, TransferKit its channel means, and the two resize differently).
//
//   dotnet run -c Release --project benchmarks/peer/MlNetFeaturizer -- [--side both|mlnet|transferkit] [--images 256]
//       [--size 320] [--batch 16] [--warmup 8] [--seed 1]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using TransferKit.Data.Synthetic;
using TransferKit.MLNet;
using TransferKit.MLNet.Featurization;
using TransferKit.Testing;

var options = FeaturizerOptions.Parse(args);
string folder = Directory.CreateTempSubdirectory("mlnet-featurizer-").FullName;
try
{
    var rows = Enumerable.Range(0, options.Images + options.Warmup).Select(i =>
    {
        string path = Path.Combine(folder, i.ToString("D5", CultureInfo.InvariantCulture) + ".jpg");
        File.WriteAllBytes(path, TestImages.Encode(i % TestImages.ShapeNames.Count, i, options.Size, options.Seed, SyntheticImageFormat.Jpeg));
        return new ImagePathRow { ImagePath = path };
    }).ToList();
    var warmup = rows.Take(options.Warmup).ToList();
    var timed = rows.Skip(options.Warmup).ToList();

    var results = new List<SideResult>();
    if (options.Side is "both" or "mlnet") results.Add(Measure("mlnet", "ML.NET DnnFeaturizeImage ResNet-18 (one image per ONNX Runtime call)", MlNetRoute, warmup, timed));
    if (options.Side is "both" or "transferkit") results.Add(Measure("transferkit", $"TransferKitFeaturizeImage ML.NET ResNet-18 (batch {options.Batch})", TransferKitRoute, warmup, timed));
    foreach (var r in results) Console.WriteLine(r.ToJson());
    if (results.Count == 2)
    {
        var (mlnet, ours) = (results[0], results[1]);
        double cosine = mlnet.Features.Zip(ours.Features, Cosine).Average();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"TransferKit / ML.NET images/s: {ours.ImagesPerSecond / mlnet.ImagesPerSecond:F2}; CPU ms per image: ML.NET {mlnet.CpuMsPerImage:F1}, TransferKit {ours.CpuMsPerImage:F1} (ML.NET / TransferKit {mlnet.CpuMsPerImage / ours.CpuMsPerImage:F2}; above 1, TransferKit uses less); features {ours.Dimension} and {mlnet.Dimension} wide, mean cosine similarity {cosine:F4}"));
        if (mlnet.Dimension != 512 || ours.Dimension != 512) throw new InvalidOperationException($"expected 512 features from both, got {mlnet.Dimension} (ML.NET) and {ours.Dimension} (TransferKit)");
    }
    else if (results[0].Dimension != 512)
    {
        throw new InvalidOperationException($"expected 512 features, got {results[0].Dimension}");
    }
    return 0;
}
finally
{
    Directory.Delete(folder, recursive: true);
}

// ML.NET's tutorial: the featurizer's own graph subtracts its mean image and reorders channels.
IEstimator<ITransformer> MlNetRoute(MLContext ml) =>
    ml.Transforms.LoadImages("Image", imageFolder: "", inputColumnName: nameof(ImagePathRow.ImagePath))
        .Append(ml.Transforms.ResizeImages("Image", imageWidth: 224, imageHeight: 224))
        .Append(ml.Transforms.ExtractPixels("Pixels", "Image"))
        .Append(ml.Transforms.DnnFeaturizeImage("Features", m => m.ModelSelector.ResNet18(ml, m.OutputColumn, m.InputColumn), "Pixels"));

IEstimator<ITransformer> TransferKitRoute(MLContext ml) =>
    ml.Transforms.LoadRawImageBytes("Image", imageFolder: null, inputColumnName: nameof(ImagePathRow.ImagePath))
        .Append(ml.Transforms.TransferKitFeaturizeImage("Features", "Image", ConvNetFeatureBackbone.FromMlNetResNet18(), options.Batch));

SideResult Measure(string side, string description, Func<MLContext, IEstimator<ITransformer>> route, List<ImagePathRow> warm, List<ImagePathRow> images)
{
    var ml = new MLContext(seed: options.Seed);
    var model = route(ml).Fit(ml.Data.LoadFromEnumerable(warm));
    Featurize(ml, model, warm);
    using var process = Process.GetCurrentProcess();
    process.Refresh();
    var cpuBefore = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var features = Featurize(ml, model, images);
    clock.Stop();
    process.Refresh();
    double cpuMs = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
    (model as IDisposable)?.Dispose();
    return new SideResult(side, description, images.Count, features[0].Length, images.Count / clock.Elapsed.TotalSeconds, cpuMs / images.Count, clock.Elapsed.TotalSeconds, features);
}

static List<float[]> Featurize(MLContext ml, ITransformer model, List<ImagePathRow> images)
{
    var scored = model.Transform(ml.Data.LoadFromEnumerable(images));
    var column = scored.Schema["Features"];
    var features = new List<float[]>(images.Count);
    using var cursor = scored.GetRowCursor([column]);
    var getter = cursor.GetGetter<VBuffer<float>>(column);
    var values = default(VBuffer<float>);
    while (cursor.MoveNext())
    {
        getter(ref values);
        features.Add(values.DenseValues().ToArray());
    }
    return features;
}

static double Cosine(float[] a, float[] b)
{
    double dot = 0, na = 0, nb = 0;
    for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
    {
        dot += (double)a[i] * b[i];
        na += (double)a[i] * a[i];
        nb += (double)b[i] * b[i];
    }
    return dot / Math.Sqrt(na * nb);
}

/// <summary>One image file, as ML.NET's tutorials load them.</summary>
internal sealed class ImagePathRow
{
    public string ImagePath { get; set; } = "";
}

internal sealed record SideResult(string Side, string Description, int Images, int Dimension, double ImagesPerSecond, double CpuMsPerImage, double Seconds, List<float[]> Features)
{
    public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["side"] = Side,
        ["peer"] = Description,
        ["images"] = Images,
        ["feature_dimension"] = Dimension,
        ["images_per_second"] = ImagesPerSecond,
        ["cpu_ms_per_image"] = CpuMsPerImage,
        ["seconds"] = Seconds,
        ["processors"] = Environment.ProcessorCount,
    });
}

internal sealed record FeaturizerOptions(string Side, int Images, int Size, int Batch, int Warmup, int Seed)
{
    public static FeaturizerOptions Parse(string[] args)
    {
        var o = new FeaturizerOptions("both", 256, 320, 16, 8, 1);
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Count() => int.Parse(Next(), CultureInfo.InvariantCulture) is var n and > 0 ? n : throw new ArgumentException($"{args[i - 1]} must be positive");
            o = args[i] switch
            {
                "--side" => o with { Side = Next() is var s && s is "both" or "mlnet" or "transferkit" ? s : throw new ArgumentException($"--side must be both, mlnet or transferkit, not '{s}'") },
                "--images" => o with { Images = Count() },
                "--size" => o with { Size = Count() },
                "--batch" => o with { Batch = Count() },
                "--warmup" => o with { Warmup = Count() },
                "--seed" => o with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return o;
    }
}
