// Trains the seed articles' baseline CNN from scratch on a synthetic 4-class pattern task and reports
// loss and accuracy per epoch. Runs offline in well under a minute on 2 cores.
using System.Diagnostics;
using TransferKit.Data.Synthetic;
using TransferKit.Kernels.Gemm;
using TransferKit.Models;
using TransferKit.Training;
using TransferKit.Training.Optimizers;

const int classes = 4, size = 32, epochs = 6, batchSize = 32;
Console.WriteLine($"TransferKit baseline CNN sample — {GemmDiagnostics.ActiveProviderDescription}");
var (trainImages, trainLabels) = SyntheticPatterns.Generate(1024, classes, size, seed: 1);
var (testImages, testLabels) = SyntheticPatterns.Generate(256, classes, size, seed: 2);
using var model = new BaselineCnn(new BaselineCnnOptions { Classes = classes, Seed = 42 });
using var optimizer = new Adam(model, learningRate: 3e-3f);
var step = new ClassificationTrainStep(model, optimizer);
Console.WriteLine($"Classes: {string.Join(", ", SyntheticPatterns.ClassNames.Take(classes))}; {model.ParameterCount():N0} parameters");

var order = Enumerable.Range(0, trainLabels.Length).ToArray();
var shuffle = new Random(7);
for (int epoch = 1; epoch <= epochs; epoch++)
{
    var clock = Stopwatch.StartNew();
    shuffle.Shuffle(order);
    double lossSum = 0;
    int correct = 0, seen = 0;
    for (int start = 0; start + batchSize <= order.Length; start += batchSize)
    {
        var indices = order.AsSpan(start, batchSize);
        using var batch = trainImages.GatherRows(indices);
        var labels = indices.ToArray().Select(i => trainLabels[i]).ToArray();
        var result = step.Run(batch, labels);
        lossSum += result.Loss * result.Count;
        correct += result.Correct;
        seen += result.Count;
    }
    double seconds = clock.Elapsed.TotalSeconds;
    var test = ClassificationMetrics.Evaluate(model, testImages, testLabels);
    Console.WriteLine($"epoch {epoch}/{epochs}: train loss {lossSum / seen:F4}, train acc {(double)correct / seen:P1}, " +
                      $"test loss {test.Loss:F4}, test acc {test.Accuracy:P1}, {seen / seconds:F0} img/s");
}
trainImages.Dispose();
testImages.Dispose();
