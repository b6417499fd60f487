using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using TransferKit.Api;
using TransferKit.Data.Decoding;
using TransferKit.Models;
using TransferKit.Testing;

namespace TransferKit.MLNet.Tests.Onnx;

/// <summary>
/// A model exported to ONNX, run by ML.NET's own image pipeline (LoadImages, ResizeImages, ExtractPixels with its defaults,
/// ApplyOnnxModel), gives the scores of <see cref="TrainedModel.Predict(IReadOnlyList{DecodedImage})"/>.
/// </summary>
public sealed class OnnxExportApplyOnnxModelTests : IDisposable
{
    private const int Size = TestImages.DefaultSize;
    private readonly string _dir = Directory.CreateTempSubdirectory("tk-onnx-mlnet-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class ImagePath
    {
        public string Path { get; set; } = "";
    }

    private sealed class OnnxScores
    {
        [ColumnName("probabilities")]
        public float[] Probabilities { get; set; } = [];
    }

    [Fact]
    public async Task ApplyOnnxModelGivesTheScoresOfTheTrainedModel()
    {
        var data = TestImages.InMemory(classes: 3, perClass: 4);
        // Resize equals the input size, so TransferKit's resize-and-crop and ML.NET's resize both leave the pixels as they are.
        using var trainer = TinyModels.Classifier(epochs: 1)
            .WithPreprocessing(new PreprocessingSpec(Size, Size, ResizeInterpolation.Bilinear, NormalizationSpec.ImageNet))
            .Build();
        await trainer.FitAsync(data);
        var model = trainer.Model;
        string onnx = Path.Combine(_dir, "model.onnx");
        var result = model.ExportOnnx(onnx);
        Assert.Equal("input", result.InputName);

        var images = Enumerable.Range(0, 6).Select(i => TestImages.Render(i % 3, i, Size, seed: 5)).ToArray();
        var rows = new List<ImagePath>();
        for (int i = 0; i < images.Length; i++)
        {
            string file = Path.Combine(_dir, $"{i}.png");
            File.WriteAllBytes(file, TestImages.Encode(i % 3, i, Size, seed: 5));
            rows.Add(new ImagePath { Path = file });
        }

        var ml = new MLContext(seed: 1);
        var pipeline = ml.Transforms.LoadImages("image", imageFolder: "", inputColumnName: nameof(ImagePath.Path))
            .Append(ml.Transforms.ResizeImages("image", Size, Size))
            .Append(ml.Transforms.ExtractPixels(result.InputName, "image"))
            .Append(ml.Transforms.ApplyOnnxModel(outputColumnNames: ["probabilities"], inputColumnNames: [result.InputName], modelFile: onnx));
        var input = ml.Data.LoadFromEnumerable(rows);
        var scored = pipeline.Fit(input).Transform(input);
        var onnxScores = ml.Data.CreateEnumerable<OnnxScores>(scored, reuseRowObject: false).Select(s => s.Probabilities).ToArray();

        var predictions = model.Predict(images);
        Assert.Equal(images.Length, onnxScores.Length);
        for (int i = 0; i < images.Length; i++)
        {
            var expected = predictions[i].Scores;
            Assert.Equal(expected.Count, onnxScores[i].Length);
            for (int c = 0; c < expected.Count; c++)
                Assert.True(Math.Abs(expected[c] - onnxScores[i][c]) <= 1e-4 * Math.Max(1, Math.Abs(expected[c])),
                    $"image {i} class {c}: TransferKit {expected[c]} vs ApplyOnnxModel {onnxScores[i][c]}");
        }
        Assert.Equal(model.ClassNames, ClassNamesOf(onnx));
    }

    private static string[] ClassNamesOf(string onnx)
    {
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx);
        return JsonSerializer.Deserialize<string[]>(session.ModelMetadata.CustomMetadataMap[TrainedModel.OnnxClassNamesKey])!;
    }
}
