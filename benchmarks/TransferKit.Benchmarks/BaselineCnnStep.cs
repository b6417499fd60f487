using TransferKit.Data.Synthetic;
using TransferKit.Models;
using TransferKit.Tensors;
using TransferKit.Training;
using TransferKit.Training.Optimizers;

namespace TransferKit.Benchmarks;

/// <summary>
/// The baseline-CNN training step both the BenchmarkDotNet class and the PyTorch peer comparison time:
/// BaselineCnn (32, 64, 128, 256), batch 32 of 3x128x128, 2 classes, SGD with momentum 0.9.
/// </summary>
internal sealed class BaselineCnnStep : IDisposable
{
    public const int Batch = 32, Size = 128, Classes = 2;

    private readonly BaselineCnn _model;
    private readonly Sgd _optimizer;
    private readonly ClassificationTrainStep _step;
    private readonly Tensor _images;
    private readonly int[] _labels;

    public BaselineCnnStep()
    {
        _model = new BaselineCnn(new BaselineCnnOptions { Classes = Classes, Seed = 1 });
        _optimizer = new Sgd(_model, 0.01f, momentum: 0.9f);
        _step = new ClassificationTrainStep(_model, _optimizer);
        (_images, _labels) = SyntheticPatterns.Generate(Batch, Classes, Size, seed: 1);
    }

    public float Run() => _step.Run(_images, _labels).Loss;

    public void Dispose()
    {
        _images.Dispose();
        _optimizer.Dispose();
        _model.Dispose();
    }
}
