using TransferKit.Data.Synthetic;
using TransferKit.Models;
using TransferKit.Tensors;
using TransferKit.Training;
using TransferKit.Training.Optimizers;
using Xunit.Abstractions;

namespace TransferKit.Tests.Training;

public class BaselineCnnTrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void LearnsASyntheticTaskWellAboveChance()
    {
        const int classes = 3, size = 16;
        var (trainImages, trainLabels) = SyntheticPatterns.Generate(300, classes, size, seed: 1);
        var (testImages, testLabels) = SyntheticPatterns.Generate(150, classes, size, seed: 2);
        using var _ = trainImages;
        using var __ = testImages;
        using var model = new BaselineCnn(new BaselineCnnOptions { Channels = [8, 16], Classes = classes, Seed = 5 });
        using var optimizer = new Adam(model, learningRate: 1e-2f);
        var step = new ClassificationTrainStep(model, optimizer);

        var before = ClassificationMetrics.Evaluate(model, testImages, testLabels);
        var order = Enumerable.Range(0, trainLabels.Length).ToArray();
        var shuffle = new Random(3);
        var epochLosses = new List<double>();
        for (int epoch = 0; epoch < 8; epoch++)
        {
            shuffle.Shuffle(order);
            double lossSum = 0;
            int batches = 0;
            for (int start = 0; start + 20 <= order.Length; start += 20)
            {
                var idx = order.AsSpan(start, 20);
                using var batch = trainImages.GatherRows(idx);
                var labels = idx.ToArray().Select(i => trainLabels[i]).ToArray();
                lossSum += step.Run(batch, labels).Loss;
                batches++;
            }
            epochLosses.Add(lossSum / batches);
        }
        var after = ClassificationMetrics.Evaluate(model, testImages, testLabels);
        output.WriteLine($"held-out accuracy {before.Accuracy:P1} -> {after.Accuracy:P1}; epoch losses {string.Join(", ", epochLosses.Select(l => l.ToString("F3")))}");
        Assert.True(epochLosses[^1] < 0.6 * epochLosses[0], "training loss should fall");
        Assert.True(after.Accuracy > 0.8, $"held-out accuracy {after.Accuracy:P1} should be well above chance (33%)");
    }

    [Fact]
    public void MemoryStaysFlatOver500Steps()
    {
        var (images, labels) = SyntheticPatterns.Generate(16, 2, 16, seed: 4);
        using var _ = images;
        using var model = new BaselineCnn(new BaselineCnnOptions { Channels = [8, 16], Classes = 2 });
        using var optimizer = new Sgd(model, 0.05f, momentum: 0.9f);
        var step = new ClassificationTrainStep(model, optimizer);
        var pool = NativeMemoryPool.Shared;
        long inUse50 = 0, reserved50 = 0, managed50 = 0;
        for (int i = 1; i <= 500; i++)
        {
            step.Run(images, labels);
            if (i == 50)
            {
                inUse50 = pool.BytesInUse;
                reserved50 = pool.BytesReserved;
                managed50 = GC.GetTotalMemory(forceFullCollection: true);
            }
        }
        long inUse500 = pool.BytesInUse, reserved500 = pool.BytesReserved, managed500 = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"step 50: native in use {inUse50:N0} B, reserved {reserved50:N0} B, managed {managed50:N0} B");
        output.WriteLine($"step 500: native in use {inUse500:N0} B, reserved {reserved500:N0} B, managed {managed500:N0} B");
        Assert.Equal(inUse50, inUse500);
        Assert.True(reserved500 <= reserved50 + (1 << 20), "native reservations should not grow");
        Assert.True(managed500 - managed50 < 2 << 20, $"managed heap grew by {managed500 - managed50:N0} B");
    }
}
